/**
 * Issue 10, part 8: a finished database on read-only media is readable. The database (in WAL
 * mode, with no -wal/-shm next to it, as after a clean close) sits in a folder made read-only:
 * chmod 555 on the folder and 444 on the file, and, since root ignores modes, a read-only bind mount
 * of it (skipped with a printed reason when it cannot be made). `runs`, `show`, `query`, `cat`,
 * `replay` and `verify` must all work there.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brief, checkpoint, dbDigest, makeRun, runCli, skipNote, TINY, tempDir } from './util.js';

const dir = tempDir('memcglab-ro-');
const src = join(dir, 'src');
const ro = join(dir, 'ro');
mkdirSync(src);
mkdirSync(ro);

function sh(cmd: string, args: string[]): string | undefined {
  try {
    execFileSync(cmd, args, { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    return `${cmd} ${args.join(' ')}: ${((e as { stderr?: Buffer }).stderr?.toString() || (e as Error).message).trim()}`;
  }
}

await makeRun(join(src, 'lab.db'), TINY);
checkpoint(join(src, 'lab.db'));
for (const ext of ['-wal', '-shm']) rmSync(join(src, `lab.db${ext}`), { force: true });
chmodSync(join(src, 'lab.db'), 0o444);
chmodSync(src, 0o555);

let why: string | undefined;
let where = src;
let mounted = false;
if (process.getuid?.() === 0) {
  why = sh('mount', ['--bind', src, ro]) ?? sh('mount', ['-o', 'remount,ro,bind', ro]);
  if (!why) {
    mounted = true;
    where = ro;
  } else sh('umount', [ro]);
}
afterAll(() => {
  if (mounted) sh('umount', ['-l', ro]);
  chmodSync(src, 0o755);
});
const db = join(where, 'lab.db');
const before = dbDigest(db);

const COMMANDS: string[][] = [
  ['runs'],
  ['show', '1'],
  ['query', 'SELECT count(*) AS n FROM events WHERE run = 1'],
  ['cat', '1', '/system.slice/memory.stat'],
  ['replay', '1', '--cycle', '2'],
  ['verify', '1'],
  ['compare', '--runs', '1,1'],
];

describe.concurrent('a database on read-only media is readable', () => {
  for (const args of COMMANDS) {
    it(args.slice(0, 2).join(' '), async (ctx) => {
      if (why) {
        skipNote('readonly.test.ts', `cannot make a read-only bind mount as root (${why})`);
        return ctx.skip();
      }
      const r = await runCli([...args, '--db', db]);
      expect(r.code, brief(r)).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout.trim().length).toBeGreaterThan(0);
    });
  }
});

describe('after the reads', () => {
  it('nothing was created or changed next to it', () => {
    if (why) return;
    expect(dbDigest(db)).toBe(before);
    expect(existsSync(`${db}-wal`) || existsSync(`${db}-shm`)).toBe(false);
  });
});
