/**
 * Issue 10: every refused input is ONE line on stderr starting `memcglab:`, exit 1 (user error),
 * no stack trace, the database bytes unchanged, and no hang. The table is `bad_inputs.ts`. An
 * experiment with several errors (issue 11) is a header saying how many, then one line each.
 * A second part checks inputs that must be ACCEPTED (BOM, a query starting with `--`, 200k-row
 * output, terminal escapes escaped on output, `--debug`).
 */

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { BAD_CASES, type BadCase, type DbPrep, TINY_EXP } from './bad_inputs.js';
import {
  checkpoint,
  copyDb,
  DEFAULT_EXP,
  dbDigest,
  expectErrorLines,
  expectOneLineError,
  hasControl,
  killMidway,
  limiter,
  makeRun,
  runCli,
  STACK_FRAME,
  TINY,
  tempDir,
  withDb,
} from './util.js';

const dir = tempDir('memcglab-bad-');
const limit = limiter(4);
const prepared = new Map<DbPrep, string>();

/** Build every prepared database once. */
beforeAll(async () => {
  const base = join(dir, 'base.db');
  await makeRun(base, TINY);
  // run 2: interrupted, with a few snapshots
  const k = await killMidway(
    [
      'run',
      DEFAULT_EXP,
      '--set',
      'workload.cycles=400',
      '--set',
      'workload.accessesPerCycle=300',
      '--set',
      'snapshotEvery=1000',
      '--db',
      base,
    ],
    base,
    0,
    { minEvents: 4000, run: 2 },
  );
  if (k.finished) throw new Error('run 2 finished before it could be killed');
  checkpoint(base);
  prepared.set('base', base);

  const derive = (name: DbPrep, fn: (d: Database.Database) => void) => {
    const p = join(dir, `${name}.db`);
    copyDb(base, p);
    const d = new Database(p);
    try {
      fn(d);
      d.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      d.close();
    }
    prepared.set(name, p);
  };
  derive('badexp', (d) => d.prepare("UPDATE runs SET experiment = 'this is {not JSON' WHERE id = 1").run());
  derive('badlab', (d) => d.prepare("UPDATE snapshots SET lab = 'this is {not JSON' WHERE run = 2").run());
  derive('newer', (d) => d.prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from-the-future', 99999999999999)").run());

  // damaged: every second leaf page of the events table overwritten
  const damaged = join(dir, 'damaged.db');
  copyDb(base, damaged);
  const { pages, size } = withDb(damaged, (d) => ({
    pages: d.prepare("SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf' ORDER BY pageno").pluck().all() as number[],
    size: d.pragma('page_size', { simple: true }) as number,
  }));
  const bytes = readFileSync(damaged);
  for (const p of pages.filter((_, i) => i % 2 === 1)) bytes.fill(0x55, (p - 1) * size, p * size);
  writeFileSync(damaged, bytes);
  prepared.set('damaged', damaged);

  const foreign = join(dir, 'foreign.db');
  const f = new Database(foreign);
  f.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('buy milk')");
  f.close();
  prepared.set('foreign', foreign);

  const garbage = join(dir, 'garbage.db');
  writeFileSync(garbage, 'this is a text file, not a database\n'.repeat(200));
  prepared.set('garbage', garbage);
}, 60_000);

let n = 0;
async function runCase(c: BadCase) {
  const caseDir = join(dir, `case-${++n}`);
  mkdirSync(caseDir);
  const db = join(caseDir, 'x.db');
  const prep = c.db ?? 'base';
  if (prep !== 'none') copyDb(prepared.get(prep)!, db);
  const exp = join(caseDir, 'exp.json');
  writeFileSync(exp, c.exp ?? JSON.stringify(TINY_EXP));
  const args = c.args.map((a) => a.replaceAll('$DB', db).replaceAll('$EXP', exp).replaceAll('$DIR', caseDir));
  const before = dbDigest(db);
  const r = await limit(() => runCli(args, { timeoutMs: c.timeoutMs ?? 4_000 }));
  expectOneLineError(r, c.stderr, c.code ?? 1);
  if (c.unchanged ?? true) expect(dbDigest(db), 'database bytes changed').toBe(before);
}

describe.concurrent('refused inputs: one line, exit 1, no stack, db unchanged', () => {
  for (const c of BAD_CASES) it(c.name, () => runCase(c));
});

describe.concurrent('accepted inputs', () => {
  it('an experiment file with a UTF-8 BOM runs', async () => {
    const db = join(dir, 'bom.db');
    const exp = join(dir, 'bom.json');
    writeFileSync(exp, `\ufeff${JSON.stringify(TINY_EXP)}`);
    const r = await limit(() => runCli(['run', exp, '--db', db]));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('a query that starts with a -- comment is SQL, not an option', async () => {
    const db = join(dir, 'comment.db');
    copyDb(prepared.get('base')!, db);
    const r = await limit(() => runCli(['query', '-- how many runs\nSELECT count(*) AS n FROM runs', '--json', '--db', db]));
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([{ n: 2 }]);
  });

  it('query prints 200k rows as a table (streaming, no stack overflow)', async () => {
    const db = join(dir, 'rows.db');
    copyDb(prepared.get('base')!, db);
    const r = await limit(() =>
      runCli(['query', 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 200000) SELECT x FROM c', '--db', db], {
        timeoutMs: 30_000,
      }),
    );
    expect(STACK_FRAME.test(r.stderr), r.stderr.slice(0, 300)).toBe(false);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(200_002); // header, rule, rows
    expect(lines.at(-1)!.trim()).toBe('200000');
  });

  it('query --timeout stops an endless query with one line (default timeout exists: --timeout is accepted)', async () => {
    const db = join(dir, 'timeout.db');
    copyDb(prepared.get('base')!, db);
    const ok = await limit(() => runCli(['query', 'SELECT 1 AS x', '--timeout', '5', '--json', '--db', db]));
    expect(ok.stderr).toBe('');
    expect(JSON.parse(ok.stdout)).toEqual([{ x: 1 }]);
  });

  it('terminal escapes in an experiment name are escaped by runs and show', async () => {
    const db = join(dir, 'esc.db');
    const exp = join(dir, 'esc.json');
    writeFileSync(exp, JSON.stringify({ ...TINY_EXP, name: 'evil\u001b]0;pwned\u0007\u001b[31mred\u009b2J\r' }));
    const r = await limit(() => runCli(['run', exp, '--db', db]));
    expect(r.code, r.stderr).toBe(0);
    expect(hasControl(r.stdout, true), `run stdout: ${JSON.stringify(r.stdout.slice(0, 120))}`).toBe(false);
    for (const args of [['runs'], ['show', '1'], ['compare', '--runs', '1,1']]) {
      const o = await limit(() => runCli([...args, '--db', db]));
      expect(o.code, o.stderr).toBe(0);
      expect(hasControl(o.stdout, true), `${args[0]} stdout: ${JSON.stringify(o.stdout.slice(0, 120))}`).toBe(false);
      expect(o.stdout).toMatch(/evil/);
    }
    // --json keeps the exact name (JSON escapes it)
    const j = await limit(() => runCli(['show', '1', '--json', '--db', db]));
    expect(JSON.parse(j.stdout).name ?? JSON.parse(j.stdout).run?.name).toContain('\u001b');
  });

  it('--debug is accepted (stack traces are only for --debug)', async () => {
    const db = join(dir, 'debug.db');
    copyDb(prepared.get('base')!, db);
    const r = await limit(() => runCli(['runs', '--debug', '--db', db]));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(db)).toBe(true);
  });
});

describe.concurrent('an experiment with several errors: a header, then one line each, nothing written', () => {
  /** TINY_EXP with three bad fields (one a typo), an unknown field, and a limit on a cgroup setup does not create. */
  const manyErrors = () => {
    const e: any = structuredClone(TINY_EXP);
    e.machine.lru = 'mglur';
    e.machine.memory = 'lots';
    e.workload.cycles = 0;
    e.workload.acess = { dist: 'uniform' };
    e.limits = { '/other.slice': { max: '1MiB' } };
    return e;
  };
  const expected = (file: string) => [
    `memcglab: ${file}: machine.lru: got "mglur": one of classic, mglru (did you mean "mglru"?)`,
    `memcglab: ${file}: machine.memory: got "lots": whole bytes (at least 262144) or a size like "512MiB"`,
    `memcglab: ${file}: workload.cycles: got 0: an integer ≥ 1`,
    `memcglab: ${file}: workload.acess: got {"dist":"uniform"}: no such field (did you mean "access"?)`,
    // the check across fields needs a valid workload: cycles 0 hides it, so it is not listed here
  ];

  for (const command of ['run', 'compare']) {
    it(command, async () => {
      const caseDir = join(dir, `many-${command}`);
      mkdirSync(caseDir);
      const exp = join(caseDir, 'exp.json');
      const db = join(caseDir, 'x.db');
      writeFileSync(exp, JSON.stringify(manyErrors()));
      const r = await limit(() => runCli([command, exp, '--db', db]));
      expect(expectErrorLines(r, 4)).toEqual(expected(exp));
      expect(existsSync(db), 'a database was created').toBe(false);
    });
  }

  it('the limit on a cgroup setup does not create is listed with the other errors', async () => {
    const caseDir = join(dir, 'many-limits');
    mkdirSync(caseDir);
    const exp = join(caseDir, 'exp.json');
    const e = manyErrors();
    e.workload.cycles = 3;
    delete e.workload.acess;
    writeFileSync(exp, JSON.stringify(e));
    const r = await limit(() => runCli(['run', exp, '--db', join(caseDir, 'x.db')]));
    expect(expectErrorLines(r, 3)[2]).toBe(
      `memcglab: ${exp}: limits: got "/other.slice": only the workload parent (/system.slice) and its ancestors exist from the start; limit job cgroups with workload.jobLimits`,
    );
  });

  it('--set overrides are validated with the file: all errors at once', async () => {
    const r = await limit(() =>
      runCli(['run', DEFAULT_EXP, '--set', 'seed=-1', '--set', 'policy="legacyy"', '--db', join(dir, 'many-set.db')]),
    );
    const lines = expectErrorLines(r, 2);
    expect(lines[0]).toMatch(/: seed: got -1: an integer from 0 to 4294967295$/);
    expect(lines[1]).toMatch(/: policy: got "legacyy": one of legacy, reparent \(did you mean "legacy"\?\)$/);
  });
});
