import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { decodeSplice, EventType, SPLICE_MGLRU, SPLICE_SAME_GEN, SPLICE_SAME_GEN_TAIL } from '../../src/kernel/events.js';
import { cli, cliJson, tempDir } from '../helpers.js';

// machine.kernel through the real CLI: a v1 run replays and verifies, and its log differs from the
// 7.1 run of the same experiment exactly where the switches say: reparent_locks.b (the lock order)
// and the same-gen splice end (mode 3, tail, against mode 0, head); on the classic LRU only the
// lock order differs; under MGLRU the two runs take the same decisions until reclaim first meets
// a list whose order the splice end changed.
const dir = tempDir();
const db = join(dir, 'kernels.db');
const small = ['--set', 'workload.cycles=16'];

type Row = [number, number, number, number, number, number, number, string | null];

function events(run: number): Row[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT seq, tick, type, memcg, folio, a, b, data FROM events WHERE run = ? ORDER BY seq').raw(true).all(run) as Row[];
  } finally {
    d.close();
  }
}

/** The 7.1 spelling of a v1 row: lock order 0, splice mode head. */
function as71(r: Row): Row {
  if (r[2] === EventType.reparent_locks) return [r[0], r[1], r[2], r[3], r[4], r[5], 0, r[7]];
  if (r[2] === EventType.splice && r[6] >= SPLICE_MGLRU && decodeSplice(r[6]).mode === SPLICE_SAME_GEN_TAIL) {
    return [r[0], r[1], r[2], r[3], r[4], r[5], r[6] & ~(3 << 5), r[7]];
  }
  return r;
}

const typeName = (code: number) => Object.entries(EventType).find(([, c]) => c === code)?.[0];

function firstDiff(a: Row[], b: Row[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) return i;
  return a.length === b.length ? -1 : n;
}

const ran = new Map<string, { k71: number; v1: number }>();

/** The experiment under 7.1 and under v1 (once per LRU kind). */
function runBoth(lru: 'classic' | 'mglru'): { k71: number; v1: number } {
  const done = ran.get(lru);
  if (done) return done;
  const sets = ['--policy', 'reparent', ...small, '--set', `machine.lru="${lru}"`];
  const k71 = cliJson(['run', 'experiments/mglru-reparent.json', ...sets, '--db', db]).id;
  const v1 = cliJson(['run', 'experiments/mglru-reparent.json', ...sets, '--set', 'machine.kernel="v1"', '--db', db]).id;
  ran.set(lru, { k71, v1 });
  return { k71, v1 };
}

describe('machine.kernel = v1 against 7.1 (the default)', () => {
  it('a v1 run replays and verifies; the stored experiment says v1', () => {
    const { k71, v1 } = runBoth('mglru');
    const r = cli(['verify', String(v1), '--check-every', '7', '--db', db]); // a failure is still pinned to its event
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ok/);
    const exp = (id: number) => cliJson(['show', String(id), '--json', '--db', db]);
    expect(JSON.stringify(exp(v1))).toContain('"kernel":"v1"');
    expect(JSON.stringify(exp(k71))).toContain('"kernel":"7.1"');
  });

  it('classic LRU: the logs differ only in reparent_locks.b (0: per node, objcg_lock, child/1, parent/2; 1: v1 all nodes)', () => {
    const { k71, v1 } = runBoth('classic');
    const a = events(k71);
    const b = events(v1);
    const locks = b.filter((r) => r[2] === EventType.reparent_locks);
    expect(locks.length).toBeGreaterThan(0);
    expect(locks.every((r) => r[6] === 1)).toBe(true);
    expect(a.filter((r) => r[2] === EventType.reparent_locks).every((r) => r[6] === 0)).toBe(true);
    expect(firstDiff(a, b)).toBe(a.indexOf(a.find((r) => r[2] === EventType.reparent_locks)!));
    expect(firstDiff(a, b.map(as71))).toBe(-1);
  });

  it('MGLRU: same-gen splices go to the tail in v1, the head in 7.1; the runs agree until reclaim meets a spliced list', () => {
    const { k71, v1 } = runBoth('mglru');
    const a = events(k71);
    const b = events(v1);
    const modes = (rows: Row[]) => new Set(rows.filter((r) => r[2] === EventType.splice).map((r) => decodeSplice(r[6]).mode));
    expect([...modes(a)]).toEqual([SPLICE_SAME_GEN]);
    expect([...modes(b)]).toEqual([SPLICE_SAME_GEN_TAIL]);
    // spelled the 7.1 way, v1 is the same log up to a point after its first reparent ...
    const at = firstDiff(a, b.map(as71));
    const firstSplice = b.findIndex((r) => r[2] === EventType.splice);
    expect(at).toBeGreaterThan(firstSplice);
    // ... where reclaim isolated or evicted another folio: the splice end reordered a list it scanned
    const reclaimTypes = [EventType.scan, EventType.evict, EventType.sort, EventType.putback, EventType.reclaim_end];
    expect(reclaimTypes).toContain(a[at][2]);
    process.stdout.write(
      `MGLRU 7.1 vs v1: identical (lock order and splice end aside) for ${at} events; first difference at seq ${a[at][0]}: ${typeName(a[at][2])}\n`,
    );
  });
});
