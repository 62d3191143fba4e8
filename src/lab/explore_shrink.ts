import { type Experiment, parseExperiment } from './experiment.js';
import { exploreSchedule, type ScheduleResult } from './explore.js';

/** A failing schedule made smaller: the overrides that shrink it, and what it breaks then. */
export interface Shrunk {
  exp: Experiment;
  /** `path=value` overrides on top of the original experiment (what `run --set` takes) */
  sets: string[];
  result: ScheduleResult;
  /** schedules tried while shrinking */
  trials: number;
}

/** Schedules shrinking may try (each is one run of the experiment, shorter every time). */
export const SHRINK_BUDGET = 60;

/**
 * Shrink a failing schedule (QuickCheck-style, greedy): the same seed on a smaller experiment that
 * still breaks the same invariant. First the workload stops after the failing step (the steps
 * before it are the same whatever comes after), then each integer of the workload is halved (and
 * halved again) while the schedule still breaks that invariant; a value that makes it pass, or that
 * the experiment refuses, is kept as it was. Changing a size changes every draw after it, so this
 * shrinks the run that shows the bug, not the interleaving choice by choice.
 */
export function shrinkFailure(exp: Experiment, failed: ScheduleResult, budget = SHRINK_BUDGET): Shrunk {
  const invariant = failed.broken!.invariant;
  let best: Shrunk = { exp, sets: [], result: failed, trials: 0 };
  const tryWith = (path: string, value: number): boolean => {
    if (best.trials >= budget) return false;
    const next = withWorkloadField(best.exp, path, value);
    if (!next) return false;
    best.trials++;
    const r = exploreSchedule(next, failed.seed);
    if (r.broken?.invariant !== invariant) return false;
    best = {
      exp: next,
      sets: [...best.sets.filter((s) => !s.startsWith(`workload.${path}=`)), `workload.${path}=${value}`],
      result: r,
      trials: best.trials,
    };
    return true;
  };
  if (exp.workload.kind === 'restart-cycles' && failed.broken!.step < exp.workload.cycles) tryWith('cycles', failed.broken!.step);
  for (let progress = true; progress && best.trials < budget; ) {
    progress = false;
    for (const [path, v] of integerFields(best.exp)) {
      const half = Math.floor(v / 2);
      if (half >= 1 && half < v && tryWith(path, half)) progress = true;
    }
  }
  return best;
}

/** The workload's integer options greater than 1 (sizes, counts), by name. */
function integerFields(exp: Experiment): [string, number][] {
  return Object.entries(exp.workload).filter((kv): kv is [string, number] => Number.isInteger(kv[1]) && (kv[1] as number) > 1);
}

/** The experiment with one workload field changed, validated as a file would be; null when refused. */
function withWorkloadField(exp: Experiment, path: string, value: number): Experiment | null {
  try {
    return parseExperiment({ ...exp, workload: { ...exp.workload, [path]: value } }, 'shrink');
  } catch {
    return null;
  }
}
