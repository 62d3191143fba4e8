import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { thisHolder } from '../../src/lab/lease.js';
import { cli, cliJson, tempDir } from '../helpers.js';

// Issue 11, run management: names, tags and notes; runs filtered and paged; delete; the effective
// policy label; one JSON shape for a run; -h/--human sizes. Real CLI, real SQLite file.

const dir = tempDir();
const db = join(dir, 'manage.db');
const MGLRU = 'experiments/mglru-reparent.json';
const tiny = ['--set', 'workload.cycles=4', '--set', 'workload.accessesPerCycle=200'];

/** Run ids `runs` lists for these filter arguments. */
const ids = (...args: string[]) => cliJson<{ id: number }[]>(['runs', ...args, '--db', db]).map((r) => r.id);
const sql = <T = Record<string, unknown>>(q: string, ...p: unknown[]) => {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(q).all(...p) as T[];
  } finally {
    d.close();
  }
};
/** Every table with a run column, from the schema (what delete must empty for a run). */
const perRunTables = () =>
  sql<{ name: string }>(
    "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'run')",
  ).map((t) => t.name);
const rowsOf = (run: number) =>
  Object.fromEntries(perRunTables().map((t) => [t, sql<{ n: number }>(`SELECT count(*) AS n FROM "${t}" WHERE run = ?`, run)[0].n]));
const sortedKeys = (o: object) => Object.keys(o).sort();

describe('run management (real CLI, real SQLite file)', () => {
  // 1: classic reparent, named and tagged; 2: classic legacy; 3: MGLRU tail; 4: MGLRU legacy;
  // 5-8: a sweep (legacy, age-order × seeds 1, 2) with its own name, tag and note
  let first: any;
  let sweep: any;

  it('--name, --tag and --note are stored; a sweep gives them to each of its runs', () => {
    first = cliJson(['run', ...tiny, '--name', 'base', '--tag', 'study=a', '--tag', 'ticket=MM-1', '--note', 'first try', '--db', db]);
    expect(first).toMatchObject({
      id: 1,
      name: 'base',
      policy: 'reparent',
      mode: null,
      tags: { study: 'a', ticket: 'MM-1' },
      note: 'first try',
    });
    cliJson(['run', ...tiny, '--policy', 'legacy', '--tag', 'study=a', '--db', db]);
    cliJson(['run', MGLRU, ...tiny, '--policy', 'reparent', '--set', 'policyOptions.mglru="tail"', '--db', db]);
    cliJson(['run', MGLRU, ...tiny, '--policy', 'legacy', '--db', db]);
    sweep = cliJson([
      'sweep',
      MGLRU,
      '--policies',
      'legacy,age-order',
      '--seeds',
      '1,2',
      ...tiny,
      '--jobs',
      '2',
      '--name',
      'sw',
      '--tag',
      'study=b',
      '--note',
      'a sweep',
      '--db',
      db,
    ]);
    expect(sweep).toMatchObject({ id: 1, name: 'sw', tags: { study: 'b' }, note: 'a sweep' });
    expect(sweep.runs.map((r: any) => [r.id, r.name, r.policy, r.seed, r.sweep, r.cell, r.tags, r.note])).toEqual([
      [5, 'sw', 'legacy', 1, 1, 0, { study: 'b' }, 'a sweep'],
      [6, 'sw', 'legacy', 2, 1, 1, { study: 'b' }, 'a sweep'],
      [7, 'sw', 'reparent/age-order', 1, 1, 2, { study: 'b' }, 'a sweep'],
      [8, 'sw', 'reparent/age-order', 2, 1, 3, { study: 'b' }, 'a sweep'],
    ]);
    expect(sql('SELECT run, key, value FROM run_tags WHERE run = 1 ORDER BY key')).toEqual([
      { run: 1, key: 'study', value: 'a' },
      { run: 1, key: 'ticket', value: 'MM-1' },
    ]);
    const shown = cli(['show', '1', '--db', db]).stdout;
    expect(shown).toMatch(/^run 1: base\n/);
    expect(shown).toMatch(/tags\s+study=a ticket=MM-1/);
    expect(shown).toMatch(/note\s+first try/);
  });

  it('bad labels are one line and nothing is written', () => {
    const before = sql('SELECT count(*) AS n FROM runs')[0];
    for (const [args, msg] of [
      [['--tag', 'nokey'], /--tag nokey: expected key=value/],
      [['--tag', '=v'], /the key must be/],
      [['--tag', 'k=1', '--tag', 'k=2'], /--tag k: given twice/],
      [['--name', ' '], /--name is empty/],
    ] as const) {
      const r = cli(['run', ...tiny, ...args, '--db', db]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const r = cli(['sweep', '--resume', '1', '--tag', 'x=y', '--db', db]);
    expect(r.stderr).toMatch(/^memcglab: sweep --resume keeps the sweep's name, tags and note/);
    expect(sql('SELECT count(*) AS n FROM runs')[0]).toEqual(before);
  });

  it('runs filters by tag, name, effective policy, status, experiment and sweep, oldest first', () => {
    expect(ids()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ids('--tag', 'study=a')).toEqual([1, 2]);
    expect(ids('--tag', 'ticket')).toEqual([1]);
    expect(ids('--tag', 'study=b', '--policy', 'legacy')).toEqual([5, 6]);
    expect(ids('--tag', 'study=a', '--tag', 'ticket=MM-2')).toEqual([]);
    expect(ids('--name', 'sw')).toEqual([5, 6, 7, 8]);
    expect(ids('--name', 'b*')).toEqual([1]);
    expect(ids('--policy', 'legacy')).toEqual([2, 4, 5, 6]);
    expect(ids('--policy', 'reparent')).toEqual([1, 3, 7, 8]);
    expect(ids('--policy', 'tail')).toEqual([3]);
    expect(ids('--policy', 'reparent/age-order')).toEqual([7, 8]);
    expect(ids('--experiment', 'mglru-*')).toEqual([3, 4, 5, 6, 7, 8]);
    expect(ids('--sweep', '1')).toEqual([5, 6, 7, 8]);
    expect(ids('--status', 'done')).toHaveLength(8);
    expect(ids('--status', 'failed')).toEqual([]);
    const human = cli(['runs', '--tag', 'study=a', '--db', db]).stdout;
    expect(human.trim().split('\n').at(-1)).toBe('2 of 8 runs match');
    expect(human).toMatch(/^\s*1\s+base\s+reparent\s+classic\s.*study=a ticket=MM-1$/m);
    expect(cli(['runs', '--db', db]).stdout.trim().split('\n').at(-1)).toBe('8 runs');
    for (const [args, msg] of [
      [['--policy', 'bogus'], /--policy bogus: not a policy; choose one of: legacy, reparent, reparent\/same-gen/],
      [['--status', 'dead'], /--status dead: choose one of: running, done, failed, interrupted/],
      [['--limit', '0'], /--limit must be a positive integer/],
      [['--offset', '-1'], /--offset|unknown option/],
    ] as const) {
      const r = cli(['runs', ...args, '--db', db]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(msg);
    }
  });

  it('runs pages with --limit and --offset and says how many matched and are shown', () => {
    expect(ids('--limit', '3')).toEqual([1, 2, 3]);
    expect(ids('--limit', '3', '--offset', '3')).toEqual([4, 5, 6]);
    expect(ids('--limit', '3', '--offset', '6')).toEqual([7, 8]);
    expect(ids('--policy', 'legacy', '--limit', '2', '--offset', '1')).toEqual([4, 5]);
    const last = (args: string[]) =>
      cli(['runs', ...args, '--db', db])
        .stdout.trim()
        .split('\n')
        .at(-1);
    expect(last(['--limit', '3'])).toBe('8 runs; showing 1-3; next: --offset 3');
    expect(last(['--limit', '3', '--offset', '6'])).toBe('8 runs; showing 7-8');
    expect(last(['--policy', 'legacy', '--limit', '2', '--offset', '1'])).toBe('4 of 8 runs match; showing 2-3; next: --offset 3');
    expect(last(['--offset', '20'])).toBe('8 runs; none at --offset 20');
  });

  it('the effective policy and mode: legacy claims no MGLRU mode; runs, show and compare name the mode', () => {
    const runs = cliJson<any[]>(['runs', '--db', db]);
    expect(runs.map((r) => [r.id, r.policy, r.lru, r.mode])).toEqual([
      [1, 'reparent', 'classic', null],
      [2, 'legacy', 'classic', null],
      [3, 'reparent/tail', 'mglru', 'tail'],
      [4, 'legacy', 'mglru', null],
      [5, 'legacy', 'mglru', null],
      [6, 'legacy', 'mglru', null],
      [7, 'reparent/age-order', 'mglru', 'age-order'],
      [8, 'reparent/age-order', 'mglru', 'age-order'],
    ]);
    // the recorded experiment holds an MGLRU mode only where it means something
    const modes = sql<{ id: number; mode: string | null }>(
      "SELECT id, json_extract(experiment, '$.policyOptions.mglru') AS mode FROM runs ORDER BY id",
    );
    expect(modes.map((m) => m.mode)).toEqual([null, null, 'tail', null, null, null, 'age-order', 'age-order']);
    expect(cli(['show', '3', '--db', db]).stdout).toMatch(/mglru LRU, policy reparent\/tail, seed 42/);
    const cmp = cli(['compare', '--runs', '4,3', '--db', db]);
    expect(cmp.code).toBe(0);
    expect(cmp.stdout).toMatch(/^metric\s+legacy \(run 4\)\s+reparent\/tail \(run 3\)$/m);
    // a database from before: legacy runs recorded policyOptions.mglru = same-gen; still read as plain legacy
    const old = join(dir, 'old.db');
    copyFileSync(db, old);
    const d = new Database(old);
    d.prepare("UPDATE runs SET experiment = json_set(experiment, '$.policyOptions.mglru', 'same-gen') WHERE policy = 'legacy'").run();
    d.close();
    const oldRuns = cliJson<any[]>(['runs', '--db', old]);
    expect(oldRuns.filter((r) => r.id === 2 || r.id === 4).map((r) => [r.policy, r.mode])).toEqual([
      ['legacy', null],
      ['legacy', null],
    ]);
  });

  it('compare refuses an MGLRU mode on the classic LRU, one policy named twice, runs of different experiments, and extra arguments', () => {
    const count = () => sql<{ n: number }>('SELECT count(*) AS n FROM runs')[0].n;
    const before = count();
    for (const [args, msg] of [
      [
        ['compare', ...tiny, '--policies', 'legacy,tail'],
        /--policies tail: tail is an MGLRU reparent mode, and restart-shared-file uses the classic LRU.*would equal plain reparent/,
      ],
      [['compare', MGLRU, ...tiny, '--policies', 'reparent,same-gen'], /--policies reparent and same-gen both run reparent\/same-gen/],
      [['sweep', ...tiny, '--policies', 'legacy,age-order'], /age-order is an MGLRU reparent mode/],
      [['compare', '--runs', '1,2', '3'], /takes no experiment file or other argument \(got 3\)/],
      [['compare', '--runs', '1,3'], /runs 1 and 3 differ in name .*machine\.lru .*--force/],
    ] as const) {
      const r = cli([...args, '--db', db]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).toBe('');
    }
    // a 4-cycle and an 8-cycle run side by side are refused, naming the field
    const longer = cliJson(['run', ...tiny, '--set', 'workload.cycles=8', '--policy', 'legacy', '--tag', 'tmp=1', '--db', db]);
    const r = cli(['compare', '--runs', `1,${longer.id}`, '--db', db]);
    expect(r.stderr).toMatch(/differ in workload\.cycles \(4 vs 8\)/);
    expect(cli(['delete', String(longer.id), '--db', db]).code).toBe(0);
    expect(count()).toBe(before);
  });

  it('one JSON shape for a run: run, show, runs, compare, compare --sweep and sweep print the same keys', () => {
    const shapes: Record<string, string[]> = {
      run: sortedKeys(first),
      show: sortedKeys(cliJson(['show', '1', '--db', db])),
      runs: sortedKeys(cliJson<any[]>(['runs', '--db', db])[0]),
      'compare --runs': sortedKeys(cliJson(['compare', '--runs', '4,3', '--db', db]).runs[0]),
      'compare --sweep': sortedKeys(cliJson(['compare', '--sweep', '1', '--db', db]).runs[0]),
      sweep: sortedKeys(sweep.runs[0]),
    };
    for (const [cmd, keys] of Object.entries(shapes)) expect(keys, cmd).toEqual(shapes.show);
    for (const k of [
      'id',
      'name',
      'policy',
      'mode',
      'seed',
      'status',
      'events',
      'cycles',
      'startedAt',
      'finishedAt',
      'tags',
      'note',
      'metrics',
    ])
      expect(shapes.show).toContain(k);
    expect(shapes.show).not.toContain('runId');
  });

  it("show prints people's text, its experiment as --set lines, and no JSON", () => {
    const out = cli(['show', '1', '--db', db]).stdout;
    expect(out).toMatch(/^experiment, as run \(each line works as --set path=value\):$/m);
    expect(out).toMatch(/^ {2}workload\.cycles=4$/m);
    expect(out).toMatch(/^ {2}policy="reparent"$/m);
    expect(out.split('\n').some((l) => l.trimStart().startsWith('{'))).toBe(false);
  });

  it('-h/--human prints sizes as KiB/MiB/GiB where bytes are printed; help is --help', () => {
    const dying = (text: string) => text.match(/^dying_bytes\s+(\S+)$/m)?.[1];
    const raw = cli(['show', '2', '--db', db]).stdout;
    const human = cli(['show', '2', '-h', '--db', db]).stdout;
    const bytes = Number(dying(raw));
    expect(bytes).toBeGreaterThan(1024); // legacy leaves dying memcgs
    expect(dying(human)).toBe(`${(bytes / 1024 / (bytes >= 1 << 20 ? 1024 : 1)).toFixed(1)}${bytes >= 1 << 20 ? 'MiB' : 'KiB'}`);
    expect(dying(cli(['show', '2', '--human', '--db', db]).stdout)).toBe(dying(human));
    const cmp = cli(['compare', '--runs', '2,1', '-h', '--db', db]).stdout;
    expect(cmp).toMatch(/^memory_current\s+[\d.]+(KiB|MiB)\s+[\d.]+(KiB|MiB)$/m);
    expect(cli(['compare', '--sweep', '1', '-h', '--db', db]).stdout).toMatch(/^dying_bytes\s+[\d.]+(KiB|MiB) ± [\d.]+(B|KiB|MiB)/m);
    expect(cli(['replay', '1', '--db', db]).stdout).toMatch(/^\s*\d+\s+\/system\.slice\s+online\s+\d+$/m);
    expect(cli(['replay', '1', '-h', '--db', db]).stdout).toMatch(/^\s*\d+\s+\/system\.slice\s+online\s+[\d.]+(KiB|MiB)$/m);
    const run = cli(['run', ...tiny, '--policy', 'legacy', '-h', '--db', join(dir, 'human.db')]);
    expect(dying(run.stdout)).toMatch(/^[\d.]+(KiB|MiB)$/);
    // help is --help only, on every command; -h elsewhere is an unknown option
    expect(cli(['show', '--help']).stdout).toMatch(/-h, --human/);
    expect(cli(['runs', '--help']).stdout).toMatch(/--help\s+display help/);
    const r = cli(['runs', '-h', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown option '-h'/);
  });

  it('delete --dry-run says what would go and deletes nothing', () => {
    const before = rowsOf(2);
    const r = cli(['delete', '2', '--dry-run', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^would delete run 2 \\(restart-shared-file, legacy, seed 42, done\\): events ${before.events}, `));
    expect(r.stdout).toMatch(/^nothing deleted \(--dry-run\)$/m);
    expect(rowsOf(2)).toEqual(before);
    expect(ids()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('delete removes a run with every row it holds; the other runs are intact and still verify', () => {
    const others = [1, 3, 4].map(rowsOf);
    const j = cliJson(['delete', '2', '--db', db]);
    expect(j.dryRun).toBe(false);
    expect(j.deleted.map((d: any) => [d.run.id, d.rows.events > 0, d.rows.run_tags])).toEqual([[2, true, 1]]);
    for (const [t, n] of Object.entries(rowsOf(2))) expect(n, t).toBe(0);
    expect(sql('SELECT id FROM runs WHERE id = 2')).toEqual([]);
    expect([1, 3, 4].map(rowsOf)).toEqual(others);
    for (const id of [1, 3, 4]) expect(cliJson(['verify', String(id), '--check-every', '1000000', '--db', db]).ok).toBe(true);
    expect(ids()).toEqual([1, 3, 4, 5, 6, 7, 8]);
    // ids are never reused: the next run is 10 (9 was made and deleted above)
    expect(cliJson(['run', ...tiny, '--db', db]).id).toBe(10);
    expect(cli(['delete', '10', '--db', db]).stdout).toMatch(/^deleted run 10 /);
  });

  it('delete of a sweep run says the sweep keeps its other runs', () => {
    const r = cli(['delete', '6', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sweep 1 keeps its other runs; memcglab sweep --resume 1 would run the deleted cells again$/m);
    expect(ids('--sweep', '1')).toEqual([5, 7, 8]);
  });

  it('delete refuses unknown runs and runs still being written, and then deletes nothing', () => {
    const before = ids();
    let r = cli(['delete', '1', '99', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^memcglab: no run 99 in /);
    // run 3 as a live writer would leave it: running, held by a live process with a fresh heartbeat
    const me = thisHolder();
    const d = new Database(db);
    const set = d.prepare(
      "UPDATE runs SET status = 'running', pid = ?, host = ?, boot_id = ?, holder_start = ?, lease_ms = 600000, heartbeat = ? WHERE id = 3",
    );
    set.run(me.pid, me.host, me.bootId, me.holderStart, Date.now());
    d.close();
    r = cli(['delete', '1', '3', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^memcglab: run 3 is running \\(held by host ${me.host}, pid ${me.pid} .*\\); nothing deleted: wait for it to end`),
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(ids()).toEqual(before);
    const d2 = new Database(db);
    d2.prepare(
      "UPDATE runs SET status = 'done', pid = NULL, host = NULL, boot_id = NULL, holder_start = NULL, lease_ms = NULL, heartbeat = NULL WHERE id = 3",
    ).run();
    d2.close();
    for (const [args, msg] of [
      [['delete'], /delete needs run ids/],
      [['delete', '1', '--sweep', '1'], /give run ids or --sweep <id>, not both/],
      [['delete', '--sweep', '9'], /no sweep 9 in /],
      [['delete', 'x'], /run id must be a positive integer \(got 'x'\)/],
      [['delete', '1', '--dry-run', '--vacuum'], /--dry-run deletes nothing/],
    ] as const) {
      const e = cli([...args, '--db', db]);
      expect(e.code).toBe(1);
      expect(e.stderr).toMatch(msg);
    }
    expect(ids()).toEqual(before);
  });

  it('a delete that fails half-way leaves every row of the run (one transaction)', () => {
    const copy = join(dir, 'fail.db');
    copyFileSync(db, copy);
    const d = new Database(copy);
    // snapshots go after events (tables in name order): fail there, once the events are deleted
    d.exec("CREATE TRIGGER no_delete BEFORE DELETE ON snapshots BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END");
    d.close();
    const before = new Database(copy, { readonly: true });
    const count = () => before.prepare('SELECT count(*) AS n FROM events WHERE run = 1').pluck().get() as number;
    const events = count();
    expect(events).toBeGreaterThan(0);
    const r = cli(['delete', '1', '--db', copy]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/refused by a test trigger/);
    expect(count()).toBe(events);
    before.close();
    expect(cliJson(['verify', '1', '--check-every', '1000000', '--db', copy]).ok).toBe(true);
  });

  it('delete --sweep removes the sweep, its tags and all its runs; --vacuum gives the space back', () => {
    const r = cli(['delete', '--sweep', '1', '--vacuum', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^deleted sweep 1 \(sw\) and its 3 runs$/m);
    expect(r.stdout).toMatch(/^the file was vacuumed/m);
    for (const id of [5, 7, 8]) for (const [t, n] of Object.entries(rowsOf(id))) expect(n, `${t} of run ${id}`).toBe(0);
    expect(sql('SELECT * FROM sweeps')).toEqual([]);
    expect(sql('SELECT * FROM sweep_tags')).toEqual([]);
    expect(ids()).toEqual([1, 3, 4]);
    expect(sql<{ n: number }>('PRAGMA freelist_count')[0]).toEqual({ freelist_count: 0 });
    for (const id of [1, 3, 4]) expect(cliJson(['verify', String(id), '--check-every', '1000000', '--db', db]).ok).toBe(true);
  });
});
