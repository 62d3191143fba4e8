/**
 * Issue 10, part 8: another application's SQLite file is not ours to write. A database with a
 * `notes` table and none of memcglab's is refused by `run` (and the readers) with one line, and
 * left byte-identical with no memcglab table added. A zero-byte file (what `touch` makes) is an
 * empty database: it is either used as one, or refused with advice that WORKS — following the
 * suggested command once makes `runs` succeed (today's advice, "open it once without read-only
 * (e.g. memcglab runs)", loops: `runs` is read-only).
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { brief, DEFAULT_EXP, dbDigest, expectOneLineError, runCli, TINY, tempDir, withDb } from './util.js';

const dir = tempDir('memcglab-foreign-');
const FOREIGN = /not a memcglab database|another application|foreign|notes/i;

function makeForeign(path: string): void {
  const d = new Database(path);
  d.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL); INSERT INTO notes (body) VALUES ('buy milk'), ('call Bob')");
  d.close();
}

describe('a foreign SQLite file', () => {
  let n = 0;
  /** each test gets its own foreign file, so one wrongly accepted write does not leak into the next */
  const fresh = () => {
    const db = join(dir, `notes-${++n}.sqlite`);
    makeForeign(db);
    return { db, before: dbDigest(db) };
  };

  it('run refuses it with one line and leaves it byte-identical', async () => {
    const { db, before } = fresh();
    const r = await runCli(['run', DEFAULT_EXP, ...TINY, '--db', db]);
    expectOneLineError(r, FOREIGN, 1);
    expect(r.stderr).not.toMatch(/migrat/i);
    expect(dbDigest(db)).toBe(before);
    const tables = withDb(db, (d) => d.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all());
    expect(tables).toEqual(['notes']);
  });

  it.each([['runs'], ['show', '1'], ['query', 'SELECT count(*) FROM notes'], ['resume', '1'], ['compare', '--runs', '1,1']])(
    '%s refuses it and leaves it byte-identical',
    async (...args: string[]) => {
      const { db, before } = fresh();
      const r = await runCli([...args, '--db', db]);
      expectOneLineError(r, FOREIGN, 1);
      expect(r.stderr, "advice must not be to migrate someone else's file").not.toMatch(/migrat/i);
      expect(dbDigest(db)).toBe(before);
    },
  );
});

describe('a zero-byte file', () => {
  it('run uses it as an empty database', async () => {
    const db = join(dir, 'zero-run.db');
    writeFileSync(db, '');
    const r = await runCli(['run', DEFAULT_EXP, ...TINY, '--db', db]);
    expect(r.code, brief(r)).toBe(0);
    const list = await runCli(['runs', '--json', '--db', db]);
    expect(list.code, brief(list)).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(1);
  });

  it.each([['runs'], ['show', '1'], ['query', 'SELECT 1']])(
    '%s: works, or its advice works when followed once',
    async (...args: string[]) => {
      const db = join(dir, `zero-${args[0]}.db`);
      writeFileSync(db, '');
      const r = await runCli([...args, '--db', db]);
      if (r.code === 0 || (args[0] === 'show' && /run 1/.test(r.stderr) && !/schema|migrat/i.test(r.stderr))) return; // an empty database, read as one
      expectOneLineError(r, undefined, 1);
      const advice = /\bmemcglab ([a-z]+)((?: --?[\w-]+(?: [^\s);,…`'"]+)?)*)/.exec(r.stderr);
      expect(advice, `no command to follow in the advice: ${brief(r)}`).not.toBeNull();
      const [, cmd, rest] = advice!;
      const follow = [
        cmd,
        ...(cmd === 'run' ? [DEFAULT_EXP, ...TINY] : []),
        ...rest
          .trim()
          .split(/\s+/)
          .filter((a) => a && !a.startsWith('--db')),
        '--db',
        db,
      ];
      const f = await runCli(follow);
      expect(f.code, `following the advice (memcglab ${follow.join(' ')}): ${brief(f)}`).toBe(0);
      const again = await runCli(['runs', '--db', db]);
      expect(again.code, `runs after following the advice: ${brief(again)}`).toBe(0);
    },
  );
});
