import type { Command } from 'commander';
import { addDbOption, parseRunId, withStore } from '../common.js';
import { printJson } from '../output.js';

const LOCKDEP_HELP = `
Reads the run's lock-order record (reparent_locks: objcg_lock and the child's and parent's
lruvec locks each reparent step takes, with their lockdep subclasses) and checks it as lockdep
would: a subclass >= MAX_LOCKDEP_SUBCLASSES (8), more than MAX_LOCK_DEPTH (48) locks held, and a
lock-class dependency that closes a cycle (AB/BA). The first two are reported once, at the first
seq (lockdep turns itself off after a splat); each cycle once per pair of classes. Only the
reparent steps are recorded: other paths' locking (reclaim, charging) is not checked.
Exit 1 when anything is reported.
--json prints {runId, nodes, steps, reports: [{kind, seq, message, held}], dependencies}.
`;

export function registerLockdep(program: Command): void {
  const cmd = program
    .command('lockdep')
    .description("check a run's lock-order record as lockdep would: invalid subclasses, lock depth, circular dependencies")
    .argument('<run>', 'run id')
    .option('--json', 'print one JSON object (keys below)')
    .addHelpText('after', LOCKDEP_HELP);
  addDbOption(cmd).action(async (id: string, opts) => {
    const runId = parseRunId(id);
    const { lockdepRun } = await import('../../lab/lockdep_run.js');
    const { getRun } = await import('../../lab/runs.js');
    const res = await withStore(opts, true, (store) => {
      getRun(store, runId); // one line when there is no such run
      return lockdepRun(store, runId);
    });
    if (res.reports.length) process.exitCode = 1;
    if (opts.json) return printJson({ runId, ...res });
    let text = `run ${runId}: ${res.steps} reparent lock steps on ${res.nodes} node${res.nodes === 1 ? '' : 's'}, `;
    text += res.reports.length ? `${res.reports.length} lockdep report${res.reports.length === 1 ? '' : 's'}\n` : 'no lockdep reports\n';
    for (const r of res.reports) text += `\nseq ${r.seq}: ${r.message}\n  held: ${r.held}\n`;
    const deps = res.dependencies;
    if (deps.length)
      text += `\nlock-class dependencies (${deps.length}): ${deps.length <= 8 ? deps.join(', ') : `${deps.slice(0, 8).join(', ')}, … (--json lists all)`}\n`;
    process.stdout.write(text);
  });
}
