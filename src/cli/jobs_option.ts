import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { LabError } from '../errors.js';
import { parseIntArg } from './common.js';

/** --jobs: cores to use; default every core. */
export function parseJobs(v: string | undefined): number {
  const j = parseIntArg('--jobs', v) ?? availableParallelism();
  if (j < 1) throw new LabError('--jobs must be at least 1');
  return j;
}

/** `run` and `resume`: one run, on one core or two (lab/jobs.ts planJobs). */
export function addRunJobsOption(cmd: Command): Command {
  return cmd.option(
    '--jobs <n>',
    'cores to use: 1 simulates and writes the log on one thread, 2 or more write the log on a second thread (default: the number of cores)',
  );
}
