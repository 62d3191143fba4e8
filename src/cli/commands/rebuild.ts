import type { Command } from 'commander';
import { addDbOption, parseRunId, withStore } from '../common.js';
import { printJson } from '../output.js';
import { Progress } from '../progress.js';

export function registerRebuild(program: Command): void {
  const cmd = program
    .command('rebuild')
    .description("regenerate a run's projections (memcgs, samples, cycles, evictions, refaults, splices) from its events alone")
    .argument('<run>', 'run id')
    .option('--json', 'print one JSON object');
  addDbOption(cmd).action(async (id: string, opts) => {
    const runId = parseRunId(id);
    const { rebuildProjections } = await import('../../lab/rebuild.js');
    const progress = new Progress(`rebuild run ${runId}: event`, opts.json);
    const res = await withStore(opts, false, (store) => rebuildProjections(store, runId, (d, t) => progress.update(d, t)));
    progress.done();
    if (opts.json) return printJson(res);
    process.stdout.write(
      `run ${runId}: rebuilt ${res.memcgs} memcgs rows, ${res.samples} samples, ${res.cycles} cycles, ${res.evictions} evictions, ` +
        `${res.refaults} refaults and ${res.splices} splices from ${res.events} events\n`,
    );
  });
}
