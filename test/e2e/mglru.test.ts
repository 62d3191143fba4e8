import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLruGen } from '../../src/views/lru_gen.js';
import { cli, cliJson, tempDir } from '../helpers.js';

const dir = tempDir();
const db = join(dir, 'mglru.db');
const small = ['--set', 'workload.cycles=25', '--set', 'workload.accessesPerCycle=600', '--set', 'sampleEvery=1'];

describe('MGLRU end to end (real CLI, real SQLite file)', () => {
  it('compare over legacy and the three reparent modes: same-gen walks no folio, tail and age-order report their walks', () => {
    const out = cliJson<{ runs: { id: number; policy: string; mode: string | null; metrics: any }[] }>([
      'compare',
      'experiments/mglru-reparent.json',
      '--policies',
      'legacy,same-gen,tail,age-order',
      ...small,
      '--db',
      db,
    ]);
    const by = Object.fromEntries(out.runs.map((r) => [r.mode ?? r.policy, r.metrics]));
    expect(by.legacy.nr_dying).toBeGreaterThan(0);
    for (const p of ['same-gen', 'tail', 'age-order']) {
      expect(by[p].nr_dying).toBe(0);
      expect(by[p].reparent_splices).toBeGreaterThan(0);
      expect(by[p].pgsteal).toBeGreaterThan(0); // the experiment is under memory pressure
    }
    expect(by['same-gen'].reparent_folios_walked).toBe(0);
    expect(by.tail.reparent_folios_walked).toBeGreaterThan(0);
    expect(by['age-order'].reparent_folios_walked).toBeGreaterThan(0);
    expect(by.legacy.reparent_folios_walked).toBe(0);
    for (const p of Object.keys(by)) expect(by[p].eviction_inversion).toBeGreaterThanOrEqual(0);
  });

  it('lru_gen: after a same-gen reparent the parent holds the child pages, gen by gen index', () => {
    const run = cliJson<any[]>(['runs', '--db', db]).find((r) => r.policy === 'reparent/same-gen')!;
    const life = cliJson<{ id: number; offline_seq: number; freed_seq: number }[]>([
      'query',
      `SELECT id, offline_seq, freed_seq FROM memcgs WHERE run = ${run.id} AND path = '/system.slice/job@12.service'`,
      '--db',
      db,
    ])[0];
    const at = (seq: number) => {
      const r = cli(['cat', String(run.id), '/sys/kernel/debug/lru_gen', '--seq', String(seq), '--db', db]);
      expect(r.code).toBe(0);
      return parseLruGen(r.stdout);
    };
    const before = at(life.offline_seq - 1);
    const after = at(life.freed_seq);
    const total = (gens: { anon: number; file: number }[]) => gens.reduce((a, g) => a + g.anon + g.file, 0);
    const child = before.get(life.id)!;
    expect(child.path).toBe('/system.slice/job@12.service');
    const parentBefore = [...before.values()].find((m) => m.path === '/system.slice')!;
    const parentAfter = [...after.values()].find((m) => m.path === '/system.slice')!;
    expect(total(child.gens)).toBeGreaterThan(0);
    expect(total(parentAfter.gens) - total(parentBefore.gens)).toBe(total(child.gens) - evictedBetween(run.id, life));
    expect(after.has(life.id)).toBe(false); // freed: gone from the debugfs listing
    expect(parentAfter.gens.length).toBeGreaterThanOrEqual(4); // aged to MAX_NR_GENS before the splice
  });

  it('the same experiment and seed give the same MGLRU state hash; replay reproduces it', () => {
    const args = ['run', 'experiments/mglru-reparent.json', '--policy', 'reparent', ...small, '--set', 'workload.cycles=8', '--db', db];
    const a = cliJson(args);
    const b = cliJson(args);
    expect(b.stateHash).toBe(a.stateHash);
    expect(cliJson(['replay', String(a.id), '--db', db]).stateHash).toBe(a.stateHash);
  });

  it('lru_gen on a classic-LRU run is refused with a clear line', () => {
    const r = cliJson(['run', '--set', 'workload.cycles=1', '--db', db]);
    const c = cli(['cat', String(r.id), '/sys/kernel/debug/lru_gen', '--db', db]);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/needs MGLRU/);
  });
});

/** Pages evicted from the parent or child between the two points (normally none: rmdir is instant). */
function evictedBetween(run: number, life: { offline_seq: number; freed_seq: number }): number {
  return cliJson<{ n: number }[]>([
    'query',
    `SELECT count(*) AS n FROM events_v WHERE run = ${run} AND type = 'evict' AND seq > ${life.offline_seq} AND seq <= ${life.freed_seq}`,
    '--db',
    db,
  ])[0].n;
}
