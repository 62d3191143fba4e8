import type { Command } from 'commander';
import { addDbOption, collect } from '../common.js';
import { addHumanOption } from '../run_options.js';
import { addMaxEvents } from './run.js';

export function registerCompare(program: Command): void {
  const cmd = program
    .command('compare')
    .description('run one experiment under several policies in parallel, or compare finished runs or a sweep (mean, 95% CI, ratio)')
    .argument('[experiment]', 'experiment JSON file (default: experiments/default.json)')
    .option(
      '--policies <list>',
      'comma-separated policies (legacy, reparent) or MGLRU reparent modes (same-gen, tail, age-order)',
      'legacy,reparent',
    )
    .option('--runs <ids>', 'compare these finished runs instead of running anything (comma-separated ids)')
    .option('--sweep <id>', "compare a sweep's runs: per policy over its seeds")
    .option(
      '--where <path=value>',
      'only the sweep runs whose experiment has this value (repeatable), e.g. --where workload.cycles=100',
      collect,
      [],
    )
    .option('--baseline <policy>', 'the policy ratios and tests refer to (default: the first listed)')
    .option('--force', 'compare runs that differ in more than policy and seed (with a warning)')
    .option('--seed <n>', 'override the seed')
    .option('--set <path=value>', 'override any experiment field (repeatable)', collect, [])
    .option('--jobs <n>', 'cores for the runs, as sweep --jobs (default: $MEMCGLAB_JOBS, else the number of cores)')
    .option('--csv', 'print CSV (runs or sweep)')
    .option('--json', 'print one JSON object');
  addHumanOption(cmd);
  addMaxEvents(cmd);
  addDbOption(cmd).action(async (file: string | undefined, opts) => (await import('./compare_action.js')).compareAction(file, opts));
}
