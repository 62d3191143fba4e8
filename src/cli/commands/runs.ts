import type { Command } from 'commander';
import { addDbOption, collect, parseIntArg, withStore } from '../common.js';
import { printJson, table } from '../output.js';

export function registerRuns(program: Command): void {
  const cmd = program
    .command('runs')
    .description('list the runs in the database, oldest first; filter and page them')
    .option('--name <pattern>', 'runs with this name (a glob: * ? [...])')
    .option('--tag <key[=value]>', 'runs with this tag (any value without =value; repeatable: all must match)', collect, [])
    .option(
      '--policy <policy>',
      'runs of this effective policy: legacy, reparent (any LRU and mode), reparent/tail, or a mode alone (tail)',
    )
    .option('--status <status>', 'running, done, failed or interrupted')
    .option('--experiment <pattern>', "runs of experiments with this name (the experiment's own name; a glob)")
    .option('--sweep <id>', 'the runs of this sweep')
    .option('--limit <n>', 'show at most n runs')
    .option('--offset <n>', 'skip the first n matching runs')
    .option('--json', 'print a JSON array of runs (the run object show --json prints)');
  addDbOption(cmd).action(async (opts) => {
    const { listRuns, checkStatus } = await import('../../lab/run_list.js');
    const { checkPolicyQuery } = await import('../../lab/policy_label.js');
    const { parseTag } = await import('../run_options.js');
    const query = {
      name: opts.name as string | undefined,
      experiment: opts.experiment as string | undefined,
      sweep: parseIntArg('--sweep', opts.sweep, 1),
      tags: (opts.tag as string[]).map((t) => parseTag(t, true)),
      policy: opts.policy === undefined ? undefined : checkPolicyQuery('--policy', opts.policy),
      status: opts.status === undefined ? undefined : checkStatus(opts.status),
      limit: parseIntArg('--limit', opts.limit, 1),
      offset: parseIntArg('--offset', opts.offset),
    };
    const page = await withStore(opts, true, (store) => listRuns(store, query));
    for (const d of page.damaged) process.stderr.write(`memcglab: warning: ${d}\n`);
    if (opts.json) return printJson(page.runs);
    if (!page.total) return void process.stdout.write('no runs yet; start one with: memcglab run experiments/default.json\n');
    const rows = page.runs.map((r) => [
      r.id,
      r.name,
      r.policy,
      r.lru,
      r.seed,
      r.status,
      r.events,
      r.cycles,
      r.startedAt.replace('T', ' ').slice(0, 19),
      r.sweep,
      Object.entries(r.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
    ]);
    if (rows.length)
      process.stdout.write(
        table(['id', 'name', 'policy', 'lru', 'seed', 'status', 'events', 'cycles', 'started (UTC)', 'sweep', 'tags'], rows),
      );
    process.stdout.write(`${footer(page, query.limit)}\n`);
  });
}

/** "12 runs", "3 of 12 runs match", "showing 11-20 of 35 matching runs; next: --offset 20". */
function footer(p: { total: number; matched: number; offset: number; runs: unknown[] }, limit: number | undefined): string {
  const filtered = p.matched !== p.total;
  const what = filtered ? `${p.matched} of ${p.total} runs match` : `${p.total} run${p.total === 1 ? '' : 's'}`;
  if (p.runs.length === p.matched) return what;
  if (!p.runs.length) return `${what}; none at --offset ${p.offset}`;
  const last = p.offset + p.runs.length;
  const next = last < p.matched && limit !== undefined ? `; next: --offset ${last}` : '';
  return `${what}; showing ${p.offset + 1}-${last}${next}`;
}
