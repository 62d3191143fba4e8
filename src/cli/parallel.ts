import { workloadKind } from '../lab/experiment.js';
import type { Outcome } from '../lab/pool.js';
import type { RunResult } from '../lab/record.js';
import { executeRuns, type PlannedRun } from '../lab/sweep.js';
import type { Store } from '../store/db.js';

export { parseJobs } from './jobs_option.js';

/** Run planned runs on worker processes with the progress bar; outcomes in the order given. */
export async function runParallel(
  store: Store,
  runs: PlannedRun[],
  file: string,
  baseSets: readonly string[],
  jobs: number,
  quiet: boolean,
  label: string,
): Promise<Outcome<RunResult>[]> {
  const totals = runs.map(({ cell }) => workloadKind(cell.exp.workload).create(cell.exp.workload).totalSteps);
  const { RunsProgress } = await import('./sweep_progress.js'); // cli-progress only when runs go to workers
  const progress = new RunsProgress(label, totals, quiet);
  try {
    return await executeRuns(store, runs, file, baseSets, {
      jobs,
      handlers: {
        onProgress: (t, d, n) => progress.progress(t, d, n),
        onDone: (t, r) => progress.done(t, r.events),
      },
    });
  } finally {
    progress.stop();
  }
}

/** One line naming every failed run, or nothing. */
export function failures(runs: PlannedRun[], outcomes: Outcome<RunResult>[]): string | undefined {
  const bad = outcomes.flatMap((o, i) =>
    o.ok ? [] : [`run ${runs[i].runId} (${runs[i].cell.policy}, seed ${runs[i].cell.seed}): ${o.message}`],
  );
  if (!bad.length) return undefined;
  return `${bad.length} of ${runs.length} runs failed: ${bad.join('; ')}`;
}
