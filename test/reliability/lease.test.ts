/**
 * Issue 10, part 4: run ownership is a lease (host, boot id, pid, heartbeat), not `kill(pid, 0)`.
 *
 * ASSUMPTIONS about the implementation (not defined by the text):
 *   - `MEMCGLAB_LEASE_MS` (env) shortens the lease for tests: a holder renews its heartbeat well
 *     within it, and a lease whose heartbeat is older than it is expired. Set to 1000 here.
 *   - The refusal names the holder: its host name and pid (e.g. "run 1 is held by host h, pid
 *     1234, heartbeat 0.2 s ago; …").
 *   - The pid-reuse step sets `runs.pid` (if that column still exists) to a live pid (this test
 *     process) after the holder died: a lease must not be kept alive by an unrelated live process.
 *
 * The holder runs with `--check` (every invariant after every event) only to be slow: it stays live
 * for the whole check without writing much.
 *
 * Steps: a run is live → `resume` from another process refuses with one line naming the holder →
 * the holder is SIGKILLed → the pid is "reused" → after the lease expires `runs` says interrupted and
 * `resume` succeeds; the result verifies.
 */

import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { brief, CLI, cliJson, countEvents, DEFAULT_EXP, expectOneLineError, ROOT, runCli, sleep, tempDir } from './util.js';

const dir = tempDir('memcglab-lease-');
const LEASE_MS = 1000;
const env = { MEMCGLAB_LEASE_MS: String(LEASE_MS) };
const EXP = [
  '--set',
  'workload.cycles=600',
  '--set',
  'workload.accessesPerCycle=100',
  '--set',
  'workload.sharedFilePages=32',
  '--set',
  'workload.anonPages=16',
  '--set',
  'snapshotEvery=5000',
];

describe('run ownership is a lease', () => {
  it('resume of a live run refuses naming the holder; after the holder dies and the lease expires, resume succeeds', async () => {
    const db = join(dir, 'lease.db');
    const holder = spawn(process.execPath, [CLI, 'run', DEFAULT_EXP, ...EXP, '--check', '--db', db], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((res) => holder.on('exit', (c) => res(c)));
    let gone = false;
    void exited.then(() => (gone = true));
    try {
      const t0 = Date.now();
      while ((countEvents(db, 1) ?? 0) < 1000) {
        if (gone || Date.now() - t0 > 20_000) throw new Error('the holder did not start writing');
        await sleep(20);
      }
      // a live run: resume from another process must refuse, naming the holder
      const r = await runCli(['resume', '1', '--db', db], { env });
      expect(gone, 'the holder finished too early: make the run longer').toBe(false);
      expect(r.code, `resume of a live run must refuse: ${brief(r)}`).toBe(1);
      expect.soft(() => expectOneLineError(r, /running|held|lease/i, 1)).not.toThrow();
      // soft: a wording failure here must not hide the expiry steps below
      expect.soft(r.stderr, `names the holder's pid: ${brief(r)}`).toMatch(new RegExp(`\\b${holder.pid}\\b`));
      expect
        .soft(r.stderr, `names the holder's host: ${brief(r)}`)
        .toMatch(new RegExp(`\\b${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`));
      // runs says running while the lease is held
      const live = await cliJson<{ id: number; status: string }[]>(['runs', '--db', db], { env });
      expect.soft(live[0].status).toBe('running');
    } finally {
      holder.kill('SIGKILL');
      await exited;
    }

    // pid reuse: an unrelated live process now has the recorded pid
    const d = new Database(db);
    try {
      const cols = (d.prepare('PRAGMA table_info(runs)').all() as { name: string }[]).map((c) => c.name);
      if (cols.includes('pid')) d.prepare('UPDATE runs SET pid = ? WHERE id = 1').run(process.pid);
    } finally {
      d.close();
    }
    await sleep(LEASE_MS * 1.5);

    const after = await cliJson<{ id: number; status: string }[]>(['runs', '--db', db], { env });
    expect(after[0].status, 'an expired lease is interrupted, whatever process has its pid now').toBe('interrupted');
    const res = await runCli(['resume', '1', '--json', '--db', db], { env, timeoutMs: 60_000 });
    expect(res.code, brief(res)).toBe(0);
    expect(res.stderr).toBe('');
    const v = await runCli(['verify', '1', '--check-every', '10000', '--db', db], { env });
    expect(v.code, brief(v)).toBe(0);
  });
});
