import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { LabError } from '../errors.js';
import { parseIntArg } from './common.js';

/** --jobs: cores to use; default $MEMCGLAB_JOBS, else every core. */
export function parseJobs(v: string | undefined): number {
  const env = process.env.MEMCGLAB_JOBS;
  const j = parseIntArg('--jobs', v) ?? (env ? parseIntArg('MEMCGLAB_JOBS', env) : undefined) ?? availableParallelism();
  if (j === undefined || j < 1) throw new LabError(`${v === undefined && env ? 'MEMCGLAB_JOBS' : '--jobs'} must be at least 1`);
  return j;
}

/** `run` and `resume`: one run, on one core or two (lab/jobs.ts planJobs). */
export function addRunJobsOption(cmd: Command): Command {
  return cmd.option(
    '--jobs <n>',
    'cores to use: 1 simulates and writes the log on one thread, 2 or more write the log on a second thread (default: $MEMCGLAB_JOBS, else the number of cores)',
  );
}
