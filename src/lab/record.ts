import { LabError } from '../errors.js';
import { type Event, EventType } from '../kernel/events.js';
import { stateHash } from '../kernel/serialize.js';
import type { KernelState } from '../kernel/state.js';
import type { Store } from '../store/db.js';
import { sqliteFailure } from '../store/errors.js';
import { type LogWriter, StoreLogWriter } from '../store/log_writer.js';
import { chargesBefore, cycleEnds } from '../store/projections.js';
import { updateRun } from '../store/runs.js';
import { encodeSnapshot } from '../store/snapshots.js';
import { type ChainWriter, type SealData, sha256 } from './chain.js';
import { type Experiment, memcgSizeBytes } from './experiment.js';
import { renewEveryMs, thisHolder } from './lease.js';
import { computeMetrics, type Metrics } from './metrics.js';
import { PipedLogWriter } from './piped_writer.js';
import { RunProjections } from './projections.js';
import { LeaseLost, leaseHooks } from './run_lease.js';
import { type Restored, type Runner, runWorkload } from './runner.js';

export { LeaseLost } from './run_lease.js';

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
  /** Called once the run's row exists (before its first step), with its id. */
  onStart?: (runId: number) => void;
  /** Called after every workload step with (steps done, steps total). */
  onProgress?: (done: number, total: number) => void;
  /** the command that repeats this run, printed with any failure */
  repro?: string;
  /**
   * Called at every commit, after the lease is renewed (a sweep worker writing a shard renews its
   * lease in the main database there; it throws LeaseLost when that lease was taken over).
   */
  onBeat?: (now: number) => void;
  /**
   * Write the log on a second thread while this one simulates (lab/piped_writer.ts): the same
   * rows in the same transactions, on two cores. Off: one thread does both, taking turns.
   */
  pipeline?: boolean;
}

/** Any failure names the run, the seed and the command that repeats it. */
function withRepro(err: unknown, runId: number, exp: Experiment, repro: string | undefined): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  if (repro && !e.message.includes(repro)) e.message += ` (run ${runId} failed; seed ${exp.seed}; repeat with: ${repro})`;
  return e;
}

/**
 * Run (`from` undefined) or resume (`from` = its last good snapshot) a run into the store: the
 * runner's loop with every event appended to the log, hashed into the chain and fed to the
 * projections.
 *
 * Snapshots are taken between workload steps only (where the runner can restart), once at least
 * `snapshotEvery` events passed since the last one, plus one of the final state. Each snapshot
 * commits the transaction it is written in, with its chain row, so every durable log ends at a
 * resumable point or has uncommitted-to-the-chain events past one. The writer also commits (and
 * renews its lease) at least every lease/6 ms, and checks at every transaction that it still
 * holds the run.
 */
export function recordRun(
  store: Store,
  runId: number,
  exp: Experiment,
  from: Restored | undefined,
  chain: ChainWriter,
  opts: RunOptions = {},
): RunResult {
  const writer: LogWriter = opts.pipeline ? new PipedLogWriter(store, runId) : new StoreLogWriter(store, runId, leaseHooks(store, runId));
  const projections = new RunProjections(
    writer.projections,
    runId,
    exp,
    from && {
      state: from.state,
      resume: {
        charges: chargesBefore(store, runId, from.state.seq, new Set(from.state.folios.keys()), EventType.charge),
        cycleEnds: cycleEnds(store, runId, from.state.seq),
      },
    },
  );
  const renewEvery = renewEveryMs(thisHolder().leaseMs);
  let lastSnapshot = from?.state.seq ?? 0;
  let lastCommit = 0;
  let lastBeat = Date.now();
  let seal: SealData = {};
  const commit = () => {
    const now = Date.now();
    opts.onBeat?.(now);
    lastBeat = now;
    writer.commit();
  };
  const sealChain = (seq: number) => {
    writer.chainRow(chain.seal(seq, seal));
    seal = {};
  };
  const snapshot = (r: Runner) => {
    const s = r.sim.s;
    const snap = encodeSnapshot(s, r.runnerState());
    writer.snapshot(snap);
    seal.snapshot = { tick: s.tick, cycle: s.cycle, stateHash: snap.stateHash, lab: sha256(snap.lab) };
    lastSnapshot = s.seq;
  };
  const afterStep = (r: Runner) => {
    const s = r.sim.s;
    const snap = s.seq - lastSnapshot >= exp.snapshotEvery;
    if (snap) snapshot(r);
    if (snap || writer.appended - lastCommit >= COMMIT_EVERY) {
      if (snap) sealChain(s.seq);
      writer.updateRun({ events: s.seq, cycles: s.cycle });
      commit();
      lastCommit = writer.appended;
    }
  };
  try {
    writer.begin();
    let n = 0;
    const sink = (e: Event, s: KernelState) => {
      writer.append(e);
      chain.add(e);
      projections.observe(e, s);
      // a long step must not let the lease lapse: commit (renewing it) mid-step when due
      if ((++n & 1023) === 0 && Date.now() - lastBeat >= renewEvery) {
        commit();
        writer.begin();
      }
    };
    const r = runWorkload(exp, sink, { ...opts, from, afterStep });
    if (r.sim.s.seq > lastSnapshot) snapshot(r); // replay to the end, the common case, costs nothing
    const res = finish(exp, runId, writer, r.sim.s, (end) => {
      seal.end = end;
      sealChain(r.sim.s.seq);
    });
    commit();
    writer.close();
    return res;
  } catch (err) {
    writer.rollback();
    if (err instanceof LeaseLost) throw err; // the run is someone else's now: leave its row alone
    const sqlite = sqliteFailure(err, store.path);
    const full = sqlite && /disk is full/.test(sqlite.message);
    const message = full
      ? `disk is full writing ${store.path}: run ${runId} stopped and is kept as it stood at its last commit; free space, then: memcglab resume ${runId} --db ${store.path}`
      : (sqlite?.message ?? (err as Error).message);
    try {
      updateRun(store, runId, { status: 'failed', error: message, finishedAt: new Date().toISOString(), pid: null, heartbeat: null });
    } catch {
      /* the disk may still be full: the expired lease tells readers the run is interrupted */
    }
    if (full || sqlite) throw new LabError(message);
    throw withRepro(err, runId, exp, opts.repro);
  }
}

/** Mark the run done with its final hash and metrics, release its lease and seal the chain (the caller commits). */
function finish(exp: Experiment, runId: number, writer: LogWriter, s: KernelState, sealEnd: (end: SealData['end']) => void): RunResult {
  const hash = stateHash(s);
  const metrics = computeMetrics(s, memcgSizeBytes(exp));
  const metricsText = JSON.stringify(metrics);
  writer.updateRun({
    status: 'done',
    error: null,
    finishedAt: new Date().toISOString(),
    events: s.seq,
    cycles: s.cycle,
    stateHash: hash,
    metrics: metricsText,
    // a done run has no writer: its lease is released with the commit that ends it
    pid: null,
    host: null,
    bootId: null,
    holderStart: null,
    heartbeat: null,
    leaseMs: null,
  });
  sealEnd({ status: 'done', error: null, events: s.seq, cycles: s.cycle, stateHash: hash, metrics: metricsText });
  return { runId, events: s.seq, stateHash: hash, metrics };
}
