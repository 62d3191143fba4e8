import type { Command } from 'commander';
import { addDbOption, parseIntArg, parseRunId, withStore } from '../common.js';
import { escapeControl } from '../escape.js';
import { printJson } from '../output.js';
import { Progress } from '../progress.js';

export function registerVerify(program: Command): void {
  const cmd = program
    .command('verify')
    .description(
      "check a run's record: the hash chain over its events, snapshots and identity; a rebuild from the log with every invariant " +
        'checked; every projection (samples, memcgs, the run row, snapshots) compared with the rebuild',
    )
    .argument('<run>', 'run id')
    .option('--check-every <n>', 'check the invariants every n events, n ≥ 1 (default 1; a failure is still pinned to its event)')
    .option('--json', 'print one JSON object');
  addDbOption(cmd).action(async (id: string, opts) => {
    const runId = parseRunId(id);
    const checkEvery = parseIntArg('--check-every', opts.checkEvery, 1);
    const { verifyRun } = await import('../../lab/verify.js');
    const progress = new Progress(`verify run ${runId}: event`, opts.json);
    const res = await withStore(opts, true, (store) =>
      verifyRun(store, runId, { checkEvery, onProgress: (d, t) => progress.update(d, t) }),
    );
    progress.done();
    if (opts.json) {
      printJson(res);
    } else if (res.ok) {
      const every =
        checkEvery && checkEvery !== 1
          ? ` (invariants checked every ${checkEvery} events)`
          : ' with every invariant holding after every event';
      const notes = res.notes ? `; ${res.notes.join('; ')}` : '';
      process.stdout.write(
        `run ${runId}: ok, ${res.events} events replay${every}; hash chain, snapshots, projections and final state match; state ${res.stateHash}${notes}\n`,
      );
    } else {
      const v = res.violations[0];
      const more = res.violations.length > 1 ? ` (and ${res.violations.length - 1} more)` : '';
      let text = `run ${runId}: FAILED at seq ${v.seq} (${v.type}): ${v.invariant}: ${v.detail}${more}\n`;
      for (const x of res.violations.slice(1, 50)) text += `  seq ${x.seq} (${x.type}): ${x.invariant}: ${x.detail}\n`;
      process.stdout.write(escapeControl(text, true));
    }
    if (!res.ok) process.exitCode = 1;
  });
}
