import type { Command } from 'commander';
import { addDbOption, parseRunId, withStore } from '../common.js';
import { addRunJobsOption, parseJobs } from '../jobs_option.js';
import { printJson } from '../output.js';
import { Progress } from '../progress.js';
import { addHumanOption } from '../run_options.js';

export function registerResume(program: Command): void {
  const cmd = program
    .command('resume')
    .description('continue an interrupted run from its last snapshot; ends as the uninterrupted run would have')
    .argument('<run>', 'run id')
    .option('--check', 'check every kernel invariant after every event (slow; for small runs)')
    .option('--json', 'print one JSON object (the run object show --json prints)');
  addHumanOption(cmd);
  addRunJobsOption(cmd);
  addDbOption(cmd).action(async (id: string, opts) => {
    const runId = parseRunId(id);
    const jobs = parseJobs(opts.jobs);
    const { planJobs } = await import('../../lab/jobs.js');
    const { resumeRun } = await import('../../lab/resume.js');
    const { getRun } = await import('../../lab/runs.js');
    const { runViews } = await import('../../lab/run_view.js');
    const { printRunResult, runHead } = await import('../print_run.js');
    const progress = new Progress(`resume run ${runId}: cycle`, opts.json);
    progress.hint = ` — Ctrl-C leaves it interrupted again; resume goes on from its last snapshot`;
    const res = await withStore(opts, false, (store) => {
      resumeRun(store, runId, {
        checkInvariants: !!opts.check,
        pipeline: planJobs(jobs).pipeline,
        repro: `memcglab resume ${runId}`,
        onProgress: (d, t) => progress.update(d, t),
      });
      return runViews(store, [getRun(store, runId)])[0];
    });
    progress.done();
    if (opts.json) return printJson(res);
    printRunResult(`${runHead(res)}: resumed and done`, res, !!opts.human);
  });
}
