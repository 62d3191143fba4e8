import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { cli, cliJson, cutAfterSnapshot, eventDigest, tempDir } from '../helpers.js';

// Issue 12: the pins that remain in 7.1. experiments/tmpfs-leftovers.json leaves a tmpfs file
// behind per job; jobs whose own reclaim swapped it out before the rmdir stay dying under 7.1,
// held by the swap entries' memcg ID. `dying` says what holds each dying memcg.
const dir = tempDir();
const db = join(dir, 'tmpfs.db');
const exp = join('experiments', 'tmpfs-leftovers.json');
const small = ['--set', 'workload.cycles=24', '--set', 'workload.tmpfsKeptCycles=8', '--set', 'snapshotEvery=20000'];

interface Pins {
  nr_dying: number;
  cycle: number;
  by: Record<string, number>;
  memcgs: { memcg: number; path: string; folios: number; swap_entries: number; dying_children: number; held_by: string }[];
}

describe('dying: what holds the dying memcgs (tmpfs leftovers swapped out before the rmdir)', () => {
  it('under 7.1 every dying memcg is held by swap entries, as many as cgroup.stat counts, the newest eight', () => {
    const run = cliJson(['run', exp, ...small, '--db', db]);
    const pins = cliJson<Pins>(['dying', String(run.id), '--db', db, '--json']);
    const stat = cliJson(['cat', String(run.id), '/cgroup.stat', '--db', db, '--json']);
    expect(pins.nr_dying).toBe(stat.content.nr_dying_descendants);
    expect(pins.nr_dying).toBe(run.metrics.nr_dying);
    expect(pins.nr_dying).toBeGreaterThan(0);
    expect(pins.nr_dying).toBeLessThanOrEqual(8); // the cleanup removed the older files and freed their entries
    expect(pins.by['swap entries']).toBe(pins.nr_dying);
    for (const m of pins.memcgs) {
      expect(m.folios).toBe(0); // reparented at offline
      expect(m.swap_entries).toBeGreaterThan(0);
      expect(Number(/job@(\d+)/.exec(m.path)![1])).toBeGreaterThan(24 - 8);
    }
    // at an earlier point, through replay
    const early = cliJson<Pins>(['dying', String(run.id), '--cycle', '5', '--db', db, '--json']);
    expect(early.cycle).toBe(5);
    expect(early.nr_dying).toBe(
      cliJson(['cat', String(run.id), '/cgroup.stat', '--cycle', '5', '--db', db, '--json']).content.nr_dying_descendants,
    );
    const text = cli(['dying', String(run.id), '--all', '--db', db]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`swap entries\\s+${pins.nr_dying}\\n`));
    expect(text.stdout).toContain(pins.memcgs[0].path);
  });

  it('legacy: the same jobs are held by their charged folios, the rest of the leftovers', () => {
    const run = cliJson(['run', exp, ...small, '--policy', 'legacy', '--db', db]);
    const pins = cliJson<Pins>(['dying', String(run.id), '--db', db, '--json']);
    expect(pins.nr_dying).toBeGreaterThan(8); // every job with a resident page left, removed or not
    expect(pins.by['charged folios'] + pins.by['charged folios + swap entries']).toBeGreaterThan(0);
    expect(pins.by.nothing).toBe(0);
  });

  it('a run cut after a mid-run snapshot (files still to remove in the cursor) resumes byte-identical and verifies', () => {
    const cut = cliJson(['run', exp, ...small, '--db', db]);
    const st = openStore(db);
    try {
      cutAfterSnapshot(st, cut.id, 1, 500);
    } finally {
      st.sqlite.close();
    }
    const resumed = cliJson(['resume', String(cut.id), '--db', db]);
    expect(resumed.stateHash).toBe(cliJson(['show', '1', '--db', db]).stateHash);
    expect(eventDigest(db, cut.id)).toEqual(eventDigest(db, 1));
    expect(cli(['verify', String(cut.id), '--check-every', '50', '--db', db]).code).toBe(0);
  });
});
