import type { Command } from 'commander';
import { addDbOption, collect } from '../common.js';

export function registerReport(program: Command): void {
  const cmd = program
    .command('report')
    .description('one self-contained HTML file of plots (Vega-Lite, rendered to SVG) and statistics over runs or a sweep')
    .argument('[runs...]', 'run ids (or use --sweep)')
    .option('--sweep <id>', "a sweep's runs")
    .option('--where <path=value>', 'only the sweep runs whose experiment has this value (repeatable)', collect, [])
    .requiredOption('--out <file>', 'the HTML file to write')
    .option('--cgroup <path>', 'the cgroup whose LRU generations (or lists) are drawn over time', '/system.slice')
    .option('--baseline <policy>', 'the policy ratios and tests refer to (default: the first listed)')
    .option('--force', 'report runs that differ in more than policy and seed (with a warning)')
    .option('--json', 'print { out, runs, figures }');
  addDbOption(cmd).action(async (ids: string[], opts) => (await import('./report_action.js')).reportAction(ids, opts));
}
