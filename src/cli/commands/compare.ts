import type { Command } from 'commander';
import { LabError } from '../../errors.js';
import { compareRuns, comparePolicies, compareTable } from '../../lab/compare.js';
import { workloadKind } from '../../lab/experiment.js';
import { prepareExperiment, reproCommand } from '../../lab/prepare.js';
import { MGLRU_REPARENT_MODES, POLICY_NAMES, resolvePolicyAlias } from '../../policy/policies.js';
import { addDbOption, collect, parseIntArg, parseRunId, withStore } from '../common.js';
import { printJson, table } from '../output.js';
import { Progress } from '../progress.js';

export function registerCompare(program: Command): void {
  const cmd = program
    .command('compare')
    .description('run one experiment under several policies (or take finished runs) and compare their metrics')
    .argument('[experiment]', 'experiment JSON file (default: experiments/default.json)')
    .option('--policies <list>', `comma-separated: ${POLICY_NAMES.join(', ')}, or an MGLRU reparent mode (${MGLRU_REPARENT_MODES.join(', ')})`, 'legacy,reparent')
    .option('--runs <ids>', 'compare these finished runs instead of running anything (comma-separated ids)')
    .option('--seed <n>', 'override the seed')
    .option('--set <path=value>', 'override any experiment field (repeatable)', collect, [])
    .option('--json', 'print one JSON object');
  addDbOption(cmd).action((file: string | undefined, opts) => {
    const entries = withStore(opts, !!opts.runs, (store) => {
      if (opts.runs) return compareRuns(store, String(opts.runs).split(',').map((v) => parseRunId(v.trim())));
      const policies = String(opts.policies).split(',').map((p) => p.trim()).filter(Boolean);
      if (!policies.length) throw new LabError('--policies is empty; e.g. --policies legacy,same-gen,tail,age-order');
      for (const p of policies) resolvePolicyAlias(p);
      const { exp, file: path } = prepareExperiment({ file, seed: parseIntArg('--seed', opts.seed), set: opts.set });
      if (!opts.json) process.stdout.write(`${exp.name}: ${workloadKind(exp.workload).describe(exp.workload)}, ${exp.machine.lru} LRU, seed ${exp.seed}\n`);
      return comparePolicies(store, exp, policies, (alias, e) => {
        const progress = new Progress(`[${alias}] cycle`, opts.json);
        return {
          repro: reproCommand(path, e, opts.set),
          onProgress: (d, t) => {
            progress.update(d, t);
            if (d === t) progress.done();
          },
        };
      });
    });
    if (opts.json) return printJson({ runs: entries });
    const { headers, rows } = compareTable(entries);
    process.stdout.write(table(headers, rows));
  });
}
