import type { Event } from '../kernel/events.js';
import { stateHash } from '../kernel/serialize.js';
import type { KernelState } from '../kernel/state.js';
import { EventAppender } from '../store/appender.js';
import type { Store } from '../store/db.js';
import { updateRun } from '../store/runs.js';
import { writeSnapshot } from '../store/snapshots.js';
import { memcgSizeBytes, type Experiment } from './experiment.js';
import { computeMetrics, type Metrics } from './metrics.js';
import { RunProjections } from './projections.js';
import { runWorkload, type Restored, type Runner } from './runner.js';

/** Events per transaction when no snapshot falls due sooner: amortises the commit, bounds what a crash loses. */
export const COMMIT_EVERY = 200_000;

export interface RunResult {
  runId: number;
  events: number;
  stateHash: string;
  metrics: Metrics;
}

export interface RunOptions {
  checkInvariants?: boolean;
  /** Called after every workload step with (steps done, steps total). */
  onProgress?: (done: number, total: number) => void;
  /** the command that repeats this run, printed with any failure */
  repro?: string;
}

/** Any failure names the run, the seed and the command that repeats it. */
function withRepro(err: unknown, runId: number, exp: Experiment, repro: string | undefined): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  if (repro && !e.message.includes(repro)) e.message += ` (run ${runId} failed; seed ${exp.seed}; repeat with: ${repro})`;
  return e;
}

/**
 * Run (`from` undefined) or resume (`from` = its last good snapshot) a run into the store: the
 * runner's loop with every event appended to the log and fed to the projections.
 *
 * Snapshots are taken between workload steps only (where the runner can restart), once at least
 * `snapshotEvery` events passed since the last one, plus one of the final state. Each snapshot
 * commits the transaction it is written in, so every durable log ends at a resumable point or
 * has at most COMMIT_EVERY events past one.
 */
export function recordRun(store: Store, runId: number, exp: Experiment, from: Restored | undefined, opts: RunOptions = {}): RunResult {
  const appender = new EventAppender(store, runId);
  const projections = new RunProjections(store, runId, exp, from?.state);
  let lastSnapshot = from?.state.seq ?? 0;
  let lastCommit = 0;
  const snapshot = (r: Runner) => {
    writeSnapshot(store, runId, r.sim.s, r.runnerState());
    lastSnapshot = r.sim.s.seq;
  };
  const afterStep = (r: Runner) => {
    const s = r.sim.s;
    const snap = s.seq - lastSnapshot >= exp.snapshotEvery;
    if (snap) snapshot(r);
    if (snap || appender.appended - lastCommit >= COMMIT_EVERY) {
      updateRun(store, runId, { events: s.seq, cycles: s.cycle });
      appender.commit();
      lastCommit = appender.appended;
    }
  };
  try {
    appender.begin();
    const sink = (e: Event, s: KernelState) => {
      appender.append(e);
      projections.observe(e, s);
    };
    const r = runWorkload(exp, sink, { ...opts, from, afterStep });
    if (r.sim.s.seq > lastSnapshot) snapshot(r); // replay to the end, the common case, costs nothing
    return finish(store, runId, exp, appender, r.sim.s);
  } catch (err) {
    appender.rollback();
    updateRun(store, runId, { status: 'failed', error: (err as Error).message, finishedAt: new Date().toISOString(), pid: null });
    throw withRepro(err, runId, exp, opts.repro);
  }
}

/** Mark the run done with its final hash and metrics, and commit. */
function finish(store: Store, runId: number, exp: Experiment, appender: EventAppender, s: KernelState): RunResult {
  const hash = stateHash(s);
  const metrics = computeMetrics(s, memcgSizeBytes(exp));
  updateRun(store, runId, {
    status: 'done', finishedAt: new Date().toISOString(), events: s.seq, cycles: s.cycle, stateHash: hash,
    metrics: JSON.stringify(metrics), pid: null,
  });
  appender.commit();
  return { runId, events: s.seq, stateHash: hash, metrics };
}
