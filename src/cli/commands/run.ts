import type { Command } from 'commander';
import { addDbOption, collect, parseIntArg, withStore } from '../common.js';
import { addRunJobsOption, parseJobs } from '../jobs_option.js';
import { printJson } from '../output.js';
import { Progress } from '../progress.js';
import { addHumanOption, addLabelOptions, parseLabels } from '../run_options.js';

export function addMaxEvents(cmd: Command): Command {
  return cmd.option('--max-events <n>', 'refuse an experiment estimated to append more events than this (default 200000000)');
}

export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('run an experiment and append its events to the database')
    .argument('[experiment]', 'experiment JSON file (default: experiments/default.json)')
    .option('--policy <name>', 'override the policy (legacy | reparent)')
    .option('--seed <n>', 'override the seed')
    .option('--set <path=value>', 'override any field, e.g. --set workload.cycles=500 (repeatable)', collect, [])
    .option('--check', 'check every kernel invariant after every event (slow; for small runs)')
    .option('--json', 'print one JSON object (the run object show --json prints)');
  addLabelOptions(cmd, 'run');
  addHumanOption(cmd);
  addMaxEvents(cmd);
  addRunJobsOption(cmd);
  addDbOption(cmd).action(async (file: string | undefined, opts) => {
    const { prepareExperiment, reproCommand } = await import('../../lab/prepare.js');
    const { runExperiment } = await import('../../lab/run.js');
    const { getRun } = await import('../../lab/runs.js');
    const { runViews } = await import('../../lab/run_view.js');
    const { printRunResult, runHead } = await import('../print_run.js');
    const labels = parseLabels(opts);
    const jobs = parseJobs(opts.jobs);
    const { planJobs } = await import('../../lab/jobs.js');
    const { exp, file: path } = prepareExperiment({
      file,
      policy: opts.policy,
      seed: parseIntArg('--seed', opts.seed),
      set: opts.set,
      maxEvents: parseIntArg('--max-events', opts.maxEvents, 1),
    });
    const repro = reproCommand(path, exp, opts.set);
    const { experimentLabel } = await import('../../lab/policy_label.js');
    const progress = new Progress(`${exp.name} [${experimentLabel(exp)}] cycle`, opts.json);
    const res = await withStore(opts, false, (store) => {
      const { runId } = runExperiment(
        store,
        exp,
        {
          checkInvariants: !!opts.check,
          pipeline: planJobs(jobs).pipeline,
          repro,
          onStart: (id) => {
            progress.hint = ` — Ctrl-C leaves run ${id} interrupted; memcglab resume ${id} goes on`;
          },
          onProgress: (d, t) => progress.update(d, t),
        },
        labels,
      );
      return runViews(store, [getRun(store, runId)])[0];
    });
    progress.done();
    if (opts.json) return printJson(res);
    printRunResult(runHead(res), res, !!opts.human);
  });
}
