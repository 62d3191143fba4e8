import { setDebugVm } from '../kernel/debug.js';
import { deserializeState } from '../kernel/deserialize.js';
import { EVENT_NAMES } from '../kernel/events.js';
import { checkInvariants } from '../kernel/invariants.js';
import { serializeState } from '../kernel/serialize.js';
import type { Experiment } from './experiment.js';
import { type RunnerState, runWorkload } from './runner.js';
import { InvariantError } from './simulation.js';

/** The first thing one schedule broke: the event, the invariant (or the kernel warning) and what. */
export interface Broken {
  seq: number;
  type: string;
  /** the workload step (cycle) it happened in */
  step: number;
  invariant: string;
  detail: string;
}

export interface ScheduleResult {
  seed: number;
  events: number;
  broken: Broken | null;
}

/** Stops a run at the end of a step (not an error of the run). */
class Stop extends Error {}

/**
 * One schedule: the experiment under `seed` (which drives the workload and the scheduler alike),
 * in memory, every invariant checked at the end of each workload step. When one breaks, the step
 * is run again from the state saved at the end of the step before, with the invariants checked
 * after every event, to name the first event that broke one.
 */
export function exploreSchedule(exp: Experiment, seed: number): ScheduleResult {
  const e = { ...exp, seed };
  let events = 0;
  let good: { state: Buffer; runner: RunnerState; step: number } | null = null;
  let failedStep = 0;
  try {
    runWorkload(e, () => events++, {
      afterStep: (r) => {
        const step = r.workload.stepsDone();
        if (checkInvariants(r.sim.s).length) {
          failedStep = step;
          throw new Stop();
        }
        good = { state: serializeState(r.sim.s), runner: r.runnerState(), step };
      },
    });
    return { seed, events, broken: null };
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
  }
  return { seed, events, broken: pin(e, good, failedStep) };
}

/** The failing step again, from the last good state, with every invariant after every event. */
function pin(exp: Experiment, from: { state: Buffer; runner: RunnerState; step: number } | null, step: number): Broken {
  let last = { seq: 0, type: '' };
  try {
    runWorkload(
      exp,
      (ev) => {
        last = { seq: ev.seq, type: EVENT_NAMES[ev.type] ?? String(ev.type) };
      },
      {
        from: from ? { state: deserializeState(from.state), runner: structuredClone(from.runner) } : undefined,
        checkInvariants: true,
        afterStep: (r) => {
          if (r.workload.stepsDone() >= step) throw new Stop();
        },
      },
    );
  } catch (err) {
    if (err instanceof InvariantError) {
      const m = /^invariant (\S+) broken after event seq (\d+) \(([^)]+)\): (.*)$/s.exec(err.message);
      if (m) return { seq: Number(m[2]), type: m[3], step, invariant: m[1], detail: m[4] };
      return { seq: last.seq, type: last.type, step, invariant: 'invariant', detail: err.message };
    }
    if (!(err instanceof Stop)) return { seq: last.seq + 1, type: 'kernel', step, invariant: 'warning', detail: (err as Error).message };
  } finally {
    setDebugVm(false); // checkInvariants turned the point-of-change assertions on for this process
  }
  // only visible at the end of the step (a check between events holds): name the step's last event
  return { seq: last.seq, type: last.type, step, invariant: 'end-of-step', detail: 'an invariant broke at the end of the step only' };
}

export interface ExploreChunk {
  exp: Experiment;
  seeds: number[];
}

export interface ChunkResult {
  schedules: number;
  events: number;
  /** the first schedule of the chunk that broke something */
  failed: ScheduleResult | null;
}

export function runChunk(c: ExploreChunk): ChunkResult {
  let events = 0;
  let schedules = 0;
  for (const seed of c.seeds) {
    const r = exploreSchedule(c.exp, seed);
    schedules++;
    events += r.events;
    if (r.broken) return { schedules, events, failed: r };
  }
  return { schedules, events, failed: null };
}
