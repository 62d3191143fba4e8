import type { Command } from 'commander';
import { runExperiment } from '../../lab/run.js';
import { prepareExperiment, reproCommand } from '../../lab/prepare.js';
import { addDbOption, collect, parseIntArg, withStore } from '../common.js';
import { metricsTable, printJson } from '../output.js';
import { Progress } from '../progress.js';
import { POLICY_NAMES } from '../../policy/policies.js';

export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('run an experiment and append its events to the database')
    .argument('[experiment]', 'experiment JSON file (default: experiments/default.json)')
    .option('--policy <name>', `override the policy (${POLICY_NAMES.join(' | ')})`)
    .option('--seed <n>', 'override the seed')
    .option('--set <path=value>', 'override any field, e.g. --set workload.cycles=500 (repeatable)', collect, [])
    .option('--check', 'check every kernel invariant after every event (slow; for small runs)')
    .option('--json', 'print one JSON object');
  addDbOption(cmd).action((file: string | undefined, opts) => {
    const { exp, file: path } = prepareExperiment({ file, policy: opts.policy, seed: parseIntArg('--seed', opts.seed), set: opts.set });
    const repro = reproCommand(path, exp, opts.set);
    const progress = new Progress(`${exp.name} [${exp.policy}] cycle`, opts.json);
    const res = withStore(opts, false, (store) =>
      runExperiment(store, exp, { checkInvariants: !!opts.check, repro, onProgress: (d, t) => progress.update(d, t) }),
    );
    progress.done();
    if (opts.json) return printJson(res);
    process.stdout.write(
      `run ${res.runId}: ${exp.name}, policy ${exp.policy}, ${exp.machine.lru} LRU, seed ${exp.seed}\n` +
        `${res.events} events, state ${res.stateHash.slice(0, 16)}\n\n` +
        metricsTable(res.metrics),
    );
  });
}
