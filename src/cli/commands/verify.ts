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
        'checked after every event (incrementally, and in full every n events); every projection (samples, memcgs, the run row, ' +
        'snapshots) compared with the rebuild; progress with rate and ETA on stderr',
    )
    .argument('<run>', 'run id')
    .option(
      '--check-every <n>',
      'the full invariant check (a walk of the whole state) every n events and at the end, n ≥ 1 (default 1000000; with ' +
        '--no-incremental 1); besides it the incremental check runs after every event; n = 1 is the full check alone after every event',
    )
    .option('--no-incremental', 'only the full check every n events (a failure is still pinned to its event, by folding again)')
    .option('--json', 'print one JSON object');
  addDbOption(cmd).action(async (id: string, opts) => {
    const runId = parseRunId(id);
    const checkEvery = parseIntArg('--check-every', opts.checkEvery, 1);
    const incremental = opts.incremental !== false;
    const { verifyRun, FULL_CHECK_EVERY } = await import('../../lab/verify.js');
    const progress = new Progress(`verify run ${runId}: events`, opts.json);
    const res = await withStore(opts, true, (store) =>
      verifyRun(store, runId, { checkEvery, incremental, onProgress: (d, t) => progress.update(d, t) }),
    );
    progress.done();
    if (opts.json) {
      printJson(res);
    } else if (res.ok) {
      const every = checksDone(incremental, checkEvery ?? (incremental ? FULL_CHECK_EVERY : 1));
      const notes = res.notes ? `; ${res.notes.join('; ')}` : '';
      process.stdout.write(
        `run ${runId}: ok, ${res.events} events replay${every}; hash chain, snapshots, projections and final state match; state ${res.stateHash}${notes}\n`,
      );
    } else {
      const v = res.violations[0];
      const more = res.violations.length > 1 ? ` (and ${res.violations.length - 1} more)` : '';
      let text = `run ${runId}: FAILED at seq ${v.seq} (${v.type}): ${v.invariant}: ${v.detail}${more}\n`;
      for (const x of res.violations.slice(1, 50)) text += `  seq ${x.seq} (${x.type}): ${x.invariant}: ${x.detail}\n`;
      // the state there, in the browser (memcglab serve's default address)
      if (v.seq > 0)
        text += `see it: memcglab serve${opts.db ? ` --db ${opts.db}` : ''}, then http://127.0.0.1:8080/#/run/${runId}?seq=${v.seq}\n`;
      process.stdout.write(escapeControl(text, true));
    }
    if (!res.ok) process.exitCode = 1;
  });
}

/** What the ok line says about the invariant checks made. */
function checksDone(incremental: boolean, every: number): string {
  if (every === 1) return ' with every invariant holding after every event (full check)';
  if (!incremental) return ` (invariants checked every ${every} events)`;
  return ` with every invariant holding after every event (incremental check; full check every ${every} events and at the end)`;
}
