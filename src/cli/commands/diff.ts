import type { Command } from 'commander';
import { LabError } from '../../errors.js';
import type { DiffPoint, DiffReport } from '../../lab/diff_run.js';
import { addDbOption, parseIntArg, parseRunId, withStore } from '../common.js';
import { printJson, table } from '../output.js';

const HELP = `
Points: seq:N (right after event N; a bare N means the same), tick:T (after the last event at or
before tick T), cycle:C (right after cycle C ended), end (the end of the log) — the --seq, --tick
and --cycle of replay and cat. --from must not come after --to.

Values are memory.stat's as the kernel prints them: hierarchical, a cgroup counting its
descendants. --local shows each cgroup's own part instead (cgroup v1's memory.stat without
total_), so a reparent shows as pages leaving the child and reaching its parent. A cgroup that does
not exist at a point shows '-' there (null in JSON) and counts as 0 in the delta. cgroup.stat is
the kernel's either way.

--json prints {runId, from, to, values, cgroups}: from/to are {point, seq, tick, cycle}; each
cgroup is {memcg, path, from, to, created, removed, freed, files}: from/to its state at each
point (online, dying, freed, or null before it was created), created/removed/freed the seq of its
mkdir, rmdir and free between the points (or null), files {"memory.stat": {key: {from, to,
delta}}, "cgroup.stat": {…}}.
`;

export function registerDiff(program: Command): void {
  const cmd = program
    .command('diff')
    .description(
      'memory.stat and cgroup.stat deltas per cgroup between two points of a run, and the cgroups created, removed and freed between them',
    )
    .argument('<run>', 'run id')
    .requiredOption('--from <point>', 'the earlier point: seq:N, tick:T, cycle:C')
    .option('--to <point>', 'the later point (default: end, the end of the log)')
    .option('--cgroup <path>', 'only this cgroup (e.g. /system.slice)')
    .option('-r, --recursive', 'with --cgroup: that cgroup and every cgroup below it')
    .option('--local', "each cgroup's own values instead of hierarchical ones")
    .option('--all', 'every key of every cgroup present at either point, changed or not')
    .option('--json', 'print one JSON object (keys below)')
    .addHelpText('after', HELP);
  addDbOption(cmd).action(async (id: string, opts) => {
    const runId = parseRunId(id);
    const from = parsePoint('--from', opts.from);
    const to = parsePoint('--to', opts.to ?? 'end');
    const cgroup = opts.cgroup === undefined ? undefined : parseCgroup(opts.cgroup);
    const { diffRun } = await import('../../lab/diff_run.js');
    const report = await withStore(opts, true, (store) =>
      diffRun(store, runId, from, to, {
        cgroup,
        recursive: !!opts.recursive,
        all: !!opts.all,
        values: opts.local ? 'local' : 'hierarchical',
      }),
    );
    if (opts.json) return printJson(report);
    process.stdout.write(formatDiff(report));
  });
}

/** `seq:N`, `tick:T`, `cycle:C`, a bare N (a seq) or `end`. */
export function parsePoint(option: string, v: string): DiffPoint {
  if (v === 'end') return { label: 'end', target: {} };
  const m = /^(?:(seq|tick|cycle):)?(.*)$/.exec(v)!;
  const key = (m[1] ?? 'seq') as 'seq' | 'tick' | 'cycle';
  if (!/^\d+$/.test(m[2]))
    throw new LabError(`${option} '${v.slice(0, 40)}' is not a point; give seq:N, tick:T, cycle:C or end, e.g. ${option} cycle:10`);
  const value = parseIntArg(`${option} ${key}:`, m[2])!;
  if (key === 'cycle' && value < 1)
    throw new LabError(
      `${option} cycle:0: cycles count from 1 (cycle:C is right after cycle C ended); for the start of the log give seq:0`,
    );
  return { label: `${key}:${value}`, target: { [key]: value } };
}

/** An absolute cgroup path, without a trailing slash (the root stays `/`). */
function parseCgroup(v: string): string {
  if (!v.startsWith('/'))
    throw new LabError(`--cgroup '${v.slice(0, 40)}' is not an absolute cgroup path; give e.g. --cgroup /system.slice`);
  return v.length > 1 ? v.replace(/\/+$/, '') || '/' : v;
}

const show = (v: number | string | null) => (v === null ? '-' : String(v));
const signed = (d: number) => (d > 0 ? `+${d}` : String(d));

/** The human output: where the points are, then a table of cgroup state changes and one of key deltas. */
export function formatDiff(r: DiffReport): string {
  const at = (p: DiffReport['from']) => `${p.point} (seq ${p.seq}, tick ${p.tick}, cycle ${p.cycle})`;
  let out = `run ${r.runId}: ${at(r.from)} → ${at(r.to)}; memory.stat values ${r.values}\n`;
  const count = (k: 'created' | 'removed' | 'freed') => r.cgroups.filter((c) => c[k] !== null).length;
  const moved = r.cgroups.filter((c) => Object.values(c.files).some((f) => Object.keys(f).length));
  out += `cgroups: ${count('created')} created, ${count('removed')} removed, ${count('freed')} freed; ${moved.length} with changed values\n`;
  // a path two memcgs share (a dying one and its successor) gets the memcg id
  const seen = new Map<string, number>();
  for (const c of r.cgroups) seen.set(c.path, (seen.get(c.path) ?? 0) + 1);
  const name = (c: DiffReport['cgroups'][number]) => (seen.get(c.path)! > 1 ? `${c.path} (memcg ${c.memcg})` : c.path);
  const states = r.cgroups.filter((c) => c.from !== c.to);
  if (states.length)
    out += `\n${table(
      ['cgroup', 'from', 'to', 'created', 'removed', 'freed'],
      states.map((c) => [name(c), show(c.from), show(c.to), c.created, c.removed, c.freed]),
      [false, false, false, true, true, true],
    )}`;
  const rows: unknown[][] = [];
  for (const c of r.cgroups)
    for (const f of Object.values(c.files))
      for (const [k, d] of Object.entries(f)) rows.push([name(c), k, show(d.from), show(d.to), signed(d.delta)]);
  if (rows.length) out += `\n${table(['cgroup', 'key', 'from', 'to', 'delta'], rows, [false, false, true, true, true])}`;
  if (!r.cgroups.length) out += 'no changes between the two points\n';
  return out;
}
