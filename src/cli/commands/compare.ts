import type { Command } from 'commander';
import { LabError } from '../../errors.js';
import { addDbOption, collect, parseIntArg, parseRunList, withStore } from '../common.js';
import { escapeControl } from '../escape.js';
import { printJson, table } from '../output.js';
import { Progress } from '../progress.js';
import { addMaxEvents } from './run.js';

export function registerCompare(program: Command): void {
  const cmd = program
    .command('compare')
    .description('run one experiment under several policies (or take finished runs) and compare their metrics')
    .argument('[experiment]', 'experiment JSON file (default: experiments/default.json)')
    .option('--policies <list>', 'comma-separated policies (legacy, reparent) or MGLRU reparent modes (same-gen, tail, age-order)', 'legacy,reparent')
    .option('--runs <ids>', 'compare these finished runs instead of running anything (comma-separated ids)')
    .option('--seed <n>', 'override the seed')
    .option('--set <path=value>', 'override any experiment field (repeatable)', collect, [])
    .option('--json', 'print one JSON object');
  addMaxEvents(cmd);
  addDbOption(cmd).action(async (file: string | undefined, opts) => {
    const lab = await import('../../lab/compare.js');
    let entries;
    if (opts.runs !== undefined) {
      if (file !== undefined) throw new LabError(`compare --runs takes no experiment file (got ${file})`);
      const ids = parseRunList(String(opts.runs));
      entries = await withStore(opts, true, (store) => lab.compareRuns(store, ids));
    } else {
      const { resolvePolicyAlias } = await import('../../policy/policies.js');
      const { prepareExperiment, reproCommand } = await import('../../lab/prepare.js');
      const { workloadKind } = await import('../../lab/experiment.js');
      const policies = String(opts.policies).split(',').map((p) => p.trim()).filter(Boolean);
      if (!policies.length) throw new LabError('--policies is empty; e.g. --policies legacy,same-gen,tail,age-order');
      for (const p of policies) resolvePolicyAlias(p);
      const { exp, file: path } = prepareExperiment({
        file, seed: parseIntArg('--seed', opts.seed), set: opts.set, maxEvents: parseIntArg('--max-events', opts.maxEvents, 1),
      });
      if (!opts.json) process.stdout.write(`${escapeControl(exp.name)}: ${workloadKind(exp.workload).describe(exp.workload)}, ${exp.machine.lru} LRU, seed ${exp.seed}\n`);
      entries = await withStore(opts, false, (store) =>
        lab.comparePolicies(store, exp, policies, (alias, e) => {
          const progress = new Progress(`[${alias}] cycle`, opts.json);
          return {
            repro: reproCommand(path, e, opts.set),
            onProgress: (d, t) => {
              progress.update(d, t);
              if (d === t) progress.done();
            },
          };
        }),
      );
    }
    if (opts.json) return printJson({ runs: entries });
    const { headers, rows } = lab.compareTable(entries);
    const names = opts.runs !== undefined ? entries.map((e) => `run ${e.runId}: ${escapeControl(e.name)}, ${e.policy}, ${e.lru} LRU\n`).join('') : '';
    process.stdout.write(names + table(headers, rows));
  });
}
