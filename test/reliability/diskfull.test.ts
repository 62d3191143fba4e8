/**
 * Issue 10, part 2: a full disk says so. A run into a 1 MiB tmpfs must fail with ONE line
 * containing "disk is full" (no "cannot rollback", no stack), leave the run marked failed or
 * interrupted, and once space is freed (the tmpfs remounted bigger) `resume` must end with the same
 * state hash and event rows as a clean run elsewhere.
 *
 * Needs root and `mount -t tmpfs` (CAP_SYS_ADMIN); otherwise the test prints why and is skipped.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brief, cliJson, DEFAULT_EXP, eventDigest, expectOneLineError, runCli, skipNote, tempDir } from './util.js';

const dir = tempDir('memcglab-full-');
const mnt = join(dir, 'mnt');
mkdirSync(mnt);
// ~2,400 events per cycle: 60 cycles ≈ 150k events ≈ 3.5 MB of log, far past 1 MiB
const EXP = ['--set', 'workload.cycles=60', '--set', 'snapshotEvery=10000', '--policy', 'legacy', '--seed', '5'];

function sh(cmd: string, args: string[]): string | undefined {
  try {
    execFileSync(cmd, args, { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    return `${cmd} ${args.join(' ')}: ${((e as { stderr?: Buffer }).stderr?.toString() || (e as Error).message).trim()}`;
  }
}

let mounted = false;
const why = process.getuid?.() !== 0 ? 'not root' : sh('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
if (!why) mounted = true;
afterAll(() => {
  if (mounted) sh('umount', ['-l', mnt]);
});

describe('a full disk', () => {
  it('run fails with one line "disk is full", the run is marked, and resume after freeing space ends as a clean run', async (ctx) => {
    if (!mounted) {
      skipNote('diskfull.test.ts', `cannot mount a small tmpfs (${why})`);
      return ctx.skip();
    }
    const db = join(mnt, 'full.db');
    const r = await runCli(['run', DEFAULT_EXP, ...EXP, '--db', db], { timeoutMs: 60_000 });
    expect(r.code, `the run must fail: ${brief(r)}`).not.toBe(0);
    // soft: the steps below still run, so one failure does not hide the next
    expect.soft(() => expectOneLineError(r, /disk is full/i, 'nonzero')).not.toThrow();
    expect.soft(r.stderr).not.toMatch(/rollback/i);

    const rows = await runCli(['runs', '--json', '--db', db]);
    expect.soft(rows.code, `runs on the full disk: ${brief(rows)}`).toBe(0);

    // free space
    expect(sh('mount', ['-o', 'remount,size=64m', mnt])).toBeUndefined();
    const [row] = await cliJson<{ id: number; status: string }[]>(['runs', '--db', db]);
    expect.soft(['failed', 'interrupted']).toContain(row.status);

    const res = await runCli(['resume', '1', '--json', '--db', db], { timeoutMs: 60_000 });
    expect(res.code, brief(res)).toBe(0);
    const cleanDb = join(dir, 'clean.db');
    const clean = await cliJson<{ id: number; events: number; stateHash: string }>(['run', DEFAULT_EXP, ...EXP, '--db', cleanDb]);
    const resumed = JSON.parse(res.stdout);
    expect(resumed.stateHash).toBe(clean.stateHash);
    expect(resumed.events).toBe(clean.events);
    expect(eventDigest(db, 1)).toEqual(eventDigest(cleanDb, clean.id));
  });
});
