import type { Command } from 'commander';
import { verifyRun } from '../../lab/verify.js';
import { addDbOption, parseIntArg, parseRunId, withStore } from '../common.js';
import { printJson } from '../output.js';
import { Progress } from '../progress.js';

export function registerVerify(program: Command): void {
  const cmd = program
    .command('verify')
    .description("rebuild a run from its log with every invariant checked after every event; check snapshots and the final state hash")
    .argument('<run>', 'run id')
    .option('--check-every <n>', 'check the invariants every n events (default 1; a failure is still pinned to its event)')
    .option('--json', 'print one JSON object');
  addDbOption(cmd).action((id: string, opts) => {
    const runId = parseRunId(id);
    const progress = new Progress(`verify run ${runId}: event`, opts.json);
    const res = withStore(opts, true, (store) => verifyRun(store, runId, { checkEvery: parseIntArg('--check-every', opts.checkEvery), onProgress: (d, t) => progress.update(d, t) }));
    progress.done();
    if (opts.json) {
      printJson(res);
    } else if (res.ok) {
      const every = opts.checkEvery && opts.checkEvery !== '1' ? ` (invariants checked every ${opts.checkEvery} events)` : ' with every invariant holding after every event';
      process.stdout.write(`run ${runId}: ok, ${res.events} events replay${every}; snapshots and final state match; state ${res.stateHash}\n`);
    } else {
      const v = res.violations[0];
      const more = res.violations.length > 1 ? ` (and ${res.violations.length - 1} more)` : '';
      process.stdout.write(`run ${runId}: FAILED at seq ${v.seq} (${v.type}): ${v.invariant}: ${v.detail}${more}\n`);
      for (const x of res.violations.slice(1)) process.stdout.write(`  seq ${x.seq} (${x.type}): ${x.invariant}: ${x.detail}\n`);
    }
    if (!res.ok) process.exitCode = 1;
  });
}
