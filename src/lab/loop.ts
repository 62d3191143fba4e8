import { eq } from 'drizzle-orm';
import { deserializeState, stateHash } from '../kernel/serialize.js';
import { getPolicy } from '../policy/policies.js';
import { EventAppender } from '../store/appender.js';
import type { Store } from '../store/db.js';
import { runs } from '../store/schema.js';
import { writeSnapshot, type SnapshotRow } from '../store/snapshots.js';
import { RestartCyclesWorkload } from '../workload/restart_cycles.js';
import { memcgSizeBytes, type Experiment } from './experiment.js';
import { computeMetrics, type Metrics } from './metrics.js';
import { RunProjections } from './projections.js';
import { Simulation } from './simulation.js';
import { bytesToPages } from './sizes.js';

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
  /** Called after every cycle with (cycles done, cycles total). */
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
 * The one cycle loop, for a fresh run (`from` undefined: setup, then cycle 1) and for a resumed one
 * (`from` = its last snapshot: state and PRNG restored, next cycle). Both take the same decisions
 * in the same order, so a resumed run writes exactly the rows the uninterrupted one would have.
 *
 * Snapshots are taken at cycle ends only (the workload restarts at a cycle boundary), once at least
 * `snapshotEvery` events passed since the last one, plus one of the final state. Each snapshot
 * commits the transaction it is written in, so every durable log ends at a resumable point or
 * has at most COMMIT_EVERY events past one.
 */
export function driveRun(store: Store, runId: number, exp: Experiment, from: SnapshotRow | undefined, opts: RunOptions = {}): RunResult {
  const { sqlite, db } = store;
  const policy = getPolicy(exp.policy, exp.policyOptions.mglru);
  const appender = new EventAppender(sqlite, runId);
  const restored = from ? deserializeState(from.state) : undefined;
  const projections = new RunProjections(store, runId, exp, restored);
  const sim = new Simulation(
    policy, exp.seed, (e, s) => {
      appender.append(e);
      projections.observe(e, s);
    },
    { checkInvariants: opts.checkInvariants, repro: opts.repro }, restored,
  );
  if (from) sim.rng.setState(from.lab.rng);
  const workload = new RestartCyclesWorkload(exp.workload);
  const cycles = exp.workload.cycles;
  let lastSnapshot = sim.s.seq;
  let lastCommit = 0;
  const snapshot = (nextCycle: number) => {
    writeSnapshot(sqlite, runId, sim.s, { rng: sim.rng.getState(), nextCycle });
    lastSnapshot = sim.s.seq;
  };
  try {
    appender.begin();
    if (!from) {
      workload.setup(sim, {
        memoryPages: bytesToPages(exp.machine.memory), mglru: exp.machine.lru === 'mglru', objcgCharging: policy.objcgCharging,
        limits: exp.limits,
      });
    }
    for (let c = from ? from.lab.nextCycle : 1; c <= cycles; c++) {
      workload.runCycle(sim, sim.rng, c);
      const snap = sim.s.seq - lastSnapshot >= exp.snapshotEvery;
      if (snap) snapshot(c + 1);
      if (snap || appender.appended - lastCommit >= COMMIT_EVERY) {
        db.update(runs).set({ events: sim.s.seq, cycles: c }).where(eq(runs.id, runId)).run();
        appender.commit();
        lastCommit = appender.appended;
      }
      opts.onProgress?.(c, cycles);
    }
    if (sim.s.seq > lastSnapshot) snapshot(cycles + 1); // replay to the end, the common case, costs nothing
    const hash = stateHash(sim.s);
    const metrics = computeMetrics(sim.s, memcgSizeBytes(exp));
    db.update(runs)
      .set({
        status: 'done', finishedAt: new Date().toISOString(), events: sim.s.seq, cycles: sim.s.cycle, stateHash: hash,
        metrics: JSON.stringify(metrics), pid: null,
      })
      .where(eq(runs.id, runId))
      .run();
    appender.commit();
    return { runId, events: sim.s.seq, stateHash: hash, metrics };
  } catch (err) {
    appender.rollback();
    db.update(runs)
      .set({ status: 'failed', error: (err as Error).message, finishedAt: new Date().toISOString(), pid: null })
      .where(eq(runs.id, runId))
      .run();
    throw withRepro(err, runId, exp, opts.repro);
  }
}
