import { availableParallelism } from 'node:os';

/** How a command spends the cores `--jobs` gives it. */
export interface JobPlan {
  /** worker processes, each running one run at a time */
  workers: number;
  /** each run writes its log on a second thread (lab/piped_writer.ts) */
  pipeline: boolean;
}

/**
 * A run keeps two cores busy when its log goes to a writer thread: simulation on one, SQLite on
 * the other (the log is the larger half). So `jobs` cores hold jobs/2 pipelined workers; one core
 * holds one worker that simulates and writes in turn. Two workers on two cores would take turns
 * for the database's one write lock instead (measured: no faster than one; README, Benchmarks).
 */
export function planJobs(jobs: number, runs = Number.MAX_SAFE_INTEGER): JobPlan {
  if (jobs < 2) return { workers: 1, pipeline: false };
  return { workers: Math.max(1, Math.min(runs, Math.floor(jobs / 2))), pipeline: true };
}

/** The default `--jobs`: every core. */
export function defaultJobs(): number {
  return availableParallelism();
}
