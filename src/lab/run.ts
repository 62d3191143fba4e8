import { eq } from 'drizzle-orm';
import { EVENT_SCHEMA_VERSION, EventType, type Event } from '../kernel/events.js';
import { stateHash } from '../kernel/serialize.js';
import type { KernelState } from '../kernel/state.js';
import { getPolicy } from '../policy/policies.js';
import { EventAppender } from '../store/appender.js';
import type { Store } from '../store/db.js';
import { MemcgProjection } from '../store/projections.js';
import { runs, samples } from '../store/schema.js';
import { RestartCyclesWorkload } from '../workload/restart_cycles.js';
import { memcgSizeBytes, type Experiment } from './experiment.js';
import { computeMetrics, type Metrics } from './metrics.js';
import { Simulation } from './simulation.js';
import { bytesToPages } from './sizes.js';
import { codeVersion } from './version.js';

/** Events per transaction: large enough to amortise the commit, small enough to lose little on a crash. */
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

/** Run an experiment into the store: every mutation appended to the log as it is applied. */
export function runExperiment(store: Store, exp: Experiment, opts: RunOptions = {}): RunResult {
  const { sqlite, db } = store;
  const policy = getPolicy(exp.policy);
  const runId = db
    .insert(runs)
    .values({
      name: exp.name, experiment: JSON.stringify(exp), policy: exp.policy, lru: exp.machine.lru, seed: exp.seed,
      status: 'running', startedAt: new Date().toISOString(), schemaVersion: EVENT_SCHEMA_VERSION,
      codeVersion: codeVersion(), pid: process.pid,
    })
    .returning({ id: runs.id })
    .get().id;

  const appender = new EventAppender(sqlite, runId);
  const projection = new MemcgProjection(sqlite, runId);
  const memcgSize = memcgSizeBytes(exp);
  const sink = (e: Event, s: KernelState) => {
    appender.append(e);
    if (e.type <= EventType.memcg_free) projection.observe(e);
    if (e.type === EventType.cycle && e.a % exp.sampleEvery === 0) writeSample(store, runId, s, memcgSize);
  };
  const sim = new Simulation(policy, exp.seed, sink, { checkInvariants: opts.checkInvariants, repro: opts.repro });
  const workload = new RestartCyclesWorkload(exp.workload);
  let lastCommit = 0;
  try {
    appender.begin();
    workload.setup(sim, {
      memoryPages: bytesToPages(exp.machine.memory), mglru: exp.machine.lru === 'mglru', objcgCharging: policy.objcgCharging,
    });
    for (let c = 1; c <= exp.workload.cycles; c++) {
      workload.runCycle(sim, sim.rng, c);
      if (appender.appended - lastCommit >= COMMIT_EVERY) {
        db.update(runs).set({ events: sim.s.seq, cycles: c }).where(eq(runs.id, runId)).run();
        appender.commit();
        lastCommit = appender.appended;
      }
      opts.onProgress?.(c, exp.workload.cycles);
    }
    const hash = stateHash(sim.s);
    const metrics = computeMetrics(sim.s, memcgSize);
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
    throw err;
  }
}

function writeSample(store: Store, run: number, s: KernelState, memcgSize: number): void {
  const m = computeMetrics(s, memcgSize);
  store.db
    .insert(samples)
    .values({
      run, seq: s.seq, tick: s.tick, cycle: s.cycle, nrDying: m.nr_dying, dyingBytes: m.dying_bytes,
      stalePages: m.stale_pages, memoryCurrent: m.memory_current, pgscan: m.pgscan, pgsteal: m.pgsteal,
      reclaimEfficiency: m.reclaim_efficiency, workingsetRefaultFile: m.workingset_refault_file,
      lruvecsScanned: m.lruvecs_scanned,
    })
    .run();
}
