/**
 * Crash safety under repeated SIGKILL: a run is killed mid-way, then each `resume` of it is
 * killed again at a different delay, then a last `resume` finishes. The result must be the
 * uninterrupted run of the same experiment and seed: the same state hash, event count and event
 * rows (sha256 over every column in seq order), and `runs` says done. After each kill the run is
 * `interrupted` and what survived verifies.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brief, cliJson, DEFAULT_EXP, eventDigest, killMidway, runCli, tempDir } from './util.js';

const dir = tempDir('memcglab-kill-');
// ~450 events per cycle, a snapshot every ~4 cycles: a kill loses at most that much
const EXP = [
  '--set',
  'workload.cycles=250',
  '--set',
  'workload.accessesPerCycle=300',
  '--set',
  'workload.sharedFilePages=64',
  '--set',
  'workload.anonPages=32',
  '--set',
  'snapshotEvery=2000',
  '--policy',
  'legacy',
  '--seed',
  '9',
];

async function status(db: string, run: number): Promise<string> {
  const rows = await cliJson<{ id: number; status: string }[]>(['runs', '--db', db]);
  return rows.find((r) => r.id === run)?.status ?? 'missing';
}

describe('SIGKILL at varied moments, then resume', () => {
  const cleanDb = join(dir, 'clean.db');
  let clean: { id: number; events: number; stateHash: string };

  it('an uninterrupted reference run', async () => {
    clean = await cliJson(['run', DEFAULT_EXP, ...EXP, '--db', cleanDb]);
    expect(clean.events).toBeGreaterThan(20_000);
  });

  // [delay after the run row exists (ms), min events before the delay starts] per kill:
  // the first kill is of `run`, the others of successive `resume`s.
  const schedules: { name: string; kills: { delay: number; minEvents: number }[] }[] = [
    {
      name: 'early, mid, late',
      kills: [
        { delay: 0, minEvents: 1 },
        { delay: 450, minEvents: 0 },
        { delay: 700, minEvents: 0 },
      ],
    },
    {
      name: 'right after the first snapshot, then a resume killed at start-up',
      kills: [
        { delay: 0, minEvents: 2100 },
        { delay: 0, minEvents: 0 },
        { delay: 550, minEvents: 0 },
      ],
    },
  ];

  schedules.forEach((s, k) => {
    it(`kills: ${s.name}; the resumed run equals the clean run`, async () => {
      const db = join(dir, `k${k}.db`);
      const first = await killMidway(['run', DEFAULT_EXP, ...EXP, '--db', db], db, s.kills[0].delay, { minEvents: s.kills[0].minEvents });
      expect(first.finished, 'the run finished before it was killed: make it longer').toBe(false);
      expect(await status(db, 1)).toBe('interrupted');
      const v = await runCli(['verify', '1', '--check-every', '1000', '--db', db]);
      expect(v.code, `verify of the killed run: ${brief(v)}`).toBe(0);
      let hits = 1;
      for (const kill of s.kills.slice(1)) {
        const r = await killMidway(['resume', '1', '--db', db], db, kill.delay, { minEvents: kill.minEvents });
        if (r.finished) break; // it got to the end before the kill: fine
        expect(r.stderr, 'a killed resume printed an error').toBe('');
        const st = await status(db, 1);
        if (st === 'done') break; // it committed its end just before the kill landed
        expect(st).toBe('interrupted');
        hits++;
      }
      expect(hits, 'kills that landed before the end').toBeGreaterThanOrEqual(2);
      if ((await status(db, 1)) !== 'done') {
        const last = await runCli(['resume', '1', '--json', '--db', db], { timeoutMs: 60_000 });
        expect(last.code, brief(last)).toBe(0);
        const res = JSON.parse(last.stdout);
        expect(res.stateHash).toBe(clean.stateHash);
        expect(res.events).toBe(clean.events);
      }
      const shown = await cliJson<any>(['show', '1', '--db', db]);
      expect(JSON.stringify(shown)).toContain(clean.stateHash);
      expect(await status(db, 1)).toBe('done');
      expect(eventDigest(db, 1)).toEqual(eventDigest(cleanDb, clean.id));
      const v2 = await runCli(['verify', '1', '--check-every', '5000', '--db', db]);
      expect(v2.code, brief(v2)).toBe(0);
    });
  });
});
