import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliJson, tempDir } from '../helpers.js';

// Reference §7 behaviours 6, 7 and 8 (and 22): the cgroup v2 selftests (test_memcontrol.c) at their
// sizes, through the real CLI: run, then cat the job cgroup's files as its instance exits.
const dir = tempDir();
const MiB = 1 << 20;

/** The selftests' job: one instance reading 50M of page cache (alloc_pagecache_50M), nothing else. */
function experiment(lru: string, workload: Record<string, unknown>): string {
  const file = join(dir, `exp-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name: 'selftest',
      seed: 1,
      machine: { lru, memory: '512MiB' },
      policy: 'reparent',
      workload: {
        kind: 'restart-cycles',
        cycles: 1,
        sharedFilePages: 12800,
        privateFilePages: 0,
        anonPages: 0,
        accessesPerCycle: 0,
        ...workload,
      },
    }),
  );
  return file;
}

/** The seq of a run's event of a type (and column a), first match. */
function seqOf(db: string, run: number, type: string, a: number): number {
  const [row] = cliJson<{ seq: number }[]>([
    'query',
    `SELECT seq FROM events_v WHERE run = ${run} AND type = '${type}' AND a = ${a} ORDER BY seq LIMIT 1`,
    '--db',
    db,
  ]);
  if (!row) throw new Error(`run ${run} has no ${type} event with a = ${a}`);
  return row.seq;
}

function cat(db: string, run: number, path: string, seq: number): string {
  const r = cli(['cat', String(run), path, '--seq', String(seq), '--db', db]);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout;
}

/** memory.events (or .local) as an object, keys in file order. */
function events(text: string): Record<string, number> {
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((l) => {
        const [k, v] = l.split(' ');
        return [k, Number(v)];
      }),
  );
}

const JOB = '/system.slice/job@1.service';

for (const lru of ['classic', 'mglru']) {
  describe(`cgroup selftests through the CLI (${lru})`, () => {
    const db = join(dir, `${lru}.db`);

    it('test_memcg_max: 50M of page cache under memory.max 30M keeps memory.current ≤ 30M and > 0; max events > 0', () => {
      const r = cliJson(['run', experiment(lru, { jobLimits: { max: '30MiB' } }), '--db', db]);
      const exit = seqOf(db, r.id, 'job_exit', 1);
      const current = Number(cat(db, r.id, `${JOB}/memory.current`, exit));
      expect(current).toBeLessThanOrEqual(30 * MiB);
      expect(current).toBeGreaterThan(0);
      // never above the limit at any point of the instance: the high-water mark from the log
      const peak = cliJson<{ peak: number }[]>([
        'query',
        `SELECT max(n) AS peak FROM (SELECT sum(CASE type WHEN 'uncharge' THEN -1 WHEN 'evict' THEN -1 WHEN 'memcg_stock' THEN a ELSE 1 END) OVER (ORDER BY seq) AS n FROM events_v WHERE run = ${r.id} AND (type IN ('uncharge', 'evict', 'memcg_stock') OR (type = 'charge' AND (a & 32) = 0)))`,
        '--db',
        db,
      ]);
      expect(peak[0].peak * 4096).toBeLessThanOrEqual(30 * MiB);
      expect(cat(db, r.id, `${JOB}/memory.max`, exit)).toBe(`${30 * MiB}\n`);
      const ev = events(cat(db, r.id, `${JOB}/memory.events`, exit));
      expect(Object.keys(ev)).toEqual(['low', 'high', 'max', 'oom', 'oom_kill', 'oom_group_kill']);
      expect(ev.max).toBeGreaterThan(0);
      expect(ev.oom).toBe(0);
      expect(r.metrics.max_events).toBe(ev.max);
    });

    it('test_memcg_high: 50M of page cache under memory.high 30M ends within 5% of 30M; high events > 0', () => {
      const r = cliJson(['run', experiment(lru, { jobLimits: { high: '30MiB' } }), '--db', db]);
      const exit = seqOf(db, r.id, 'job_exit', 1);
      const current = Number(cat(db, r.id, `${JOB}/memory.current`, exit));
      expect(Math.abs(current - 30 * MiB) / (30 * MiB)).toBeLessThan(0.05);
      expect(cat(db, r.id, `${JOB}/memory.high`, exit)).toBe(`${30 * MiB}\n`);
      expect(cat(db, r.id, `${JOB}/memory.max`, exit)).toBe('max\n');
      const ev = events(cat(db, r.id, `${JOB}/memory.events`, exit));
      expect(ev.high).toBeGreaterThan(0);
      expect(ev.max).toBe(0);
      // the parent counts it too (hierarchical), not locally
      expect(events(cat(db, r.id, '/system.slice/memory.events', exit)).high).toBe(ev.high);
      expect(events(cat(db, r.id, '/system.slice/memory.events.local', exit)).high).toBe(0);
    });

    it('test_memcg_reclaim (reclaim_until): writing current − goal to memory.reclaim lands within 3% of 30M in ≤ 5 tries', () => {
      const r = cliJson(['run', experiment(lru, { proactive: [{ cgroup: JOB, atCycle: 1, goal: '30MiB' }] }), '--db', db]);
      const exit = seqOf(db, r.id, 'job_exit', 1);
      const current = Number(cat(db, r.id, `${JOB}/memory.current`, exit));
      expect(Math.abs(current - 30 * MiB) / (30 * MiB)).toBeLessThanOrEqual(0.03);
      const writes = cliJson<{ type: string; a: number; b: number }[]>([
        'query',
        `SELECT type, a, b FROM events_v WHERE run = ${r.id} AND type LIKE 'memory_reclaim%' ORDER BY seq`,
        '--db',
        db,
      ]);
      const tries = writes.filter((w) => w.type === 'memory_reclaim').length;
      expect(tries).toBeGreaterThanOrEqual(1);
      expect(tries).toBeLessThanOrEqual(5);
      expect(writes.at(-1)).toMatchObject({ type: 'memory_reclaim_end', b: 0 }); // 0, not -EAGAIN
    });

    // the OOM path does not depend on the LRU: run it once (it is the slowest: 18 empty reclaim passes a cycle)
    it.runIf(lru === 'classic')(
      'test_memcg_oom_events: a 100M-anon job under memory.max 30M is OOM-killed (oom 1, oom_kill 1); the run goes on and ends done',
      () => {
        const r = cliJson([
          'run',
          experiment(lru, { cycles: 3, sharedFilePages: 0, anonPages: 25600, jobLimits: { max: '30MiB' } }),
          '--db',
          db,
        ]);
        const exit = seqOf(db, r.id, 'job_exit', 1);
        const ev = events(cat(db, r.id, `${JOB}/memory.events`, exit));
        expect(ev).toMatchObject({ oom: 1, oom_kill: 1, oom_group_kill: 0 });
        expect(ev.max).toBe(18); // 1 + 1 after drain_all_stock + MAX_RECLAIM_RETRIES failing passes, then mem_cgroup_oom
        expect(events(cat(db, r.id, `${JOB}/memory.events.local`, exit))).toEqual(ev);
        expect(Number(cat(db, r.id, `${JOB}/memory.current`, exit))).toBeLessThanOrEqual(30 * MiB);
        const [run] = cliJson<{ status: string }[]>(['query', `SELECT status FROM runs WHERE id = ${r.id}`, '--db', db]);
        expect(run.status).toBe('done');
        const cycles = cliJson<{ a: number }[]>([
          'query',
          `SELECT a FROM events_v WHERE run = ${r.id} AND type = 'cycle' ORDER BY seq`,
          '--db',
          db,
        ]);
        expect(cycles.map((c) => c.a)).toEqual([1, 2, 3]); // every later cycle ran and was logged
        const kills = cliJson<{ memcg: number }[]>([
          'query',
          `SELECT memcg FROM events_v WHERE run = ${r.id} AND type = 'oom_kill'`,
          '--db',
          db,
        ]);
        expect(kills).toHaveLength(3); // one per instance
        expect(r.metrics).toMatchObject({ oom_events: 3, oom_kill: 3 });
        const samples = cliJson<{ cycle: number; oom_kill: number }[]>([
          'query',
          `SELECT cycle, oom_kill FROM samples WHERE run = ${r.id} ORDER BY cycle`,
          '--db',
          db,
        ]);
        expect(samples).toEqual([
          { cycle: 1, oom_kill: 1 },
          { cycle: 2, oom_kill: 2 },
          { cycle: 3, oom_kill: 3 },
        ]);
        expect(cliJson(['verify', String(r.id), '--check-every', '5000', '--db', db]).ok).toBe(true);
      },
    );
  });
}

describe('memory.reclaim of anon', () => {
  const db = join(dir, 'anon.db');

  it('without swap, anon is not reclaimed: every write ends in -EAGAIN after MAX_RECLAIM_RETRIES empty passes and reclaim_until gives up after 5', () => {
    const r = cliJson([
      'run',
      experiment('classic', { sharedFilePages: 0, anonPages: 12800, proactive: [{ cgroup: JOB, atCycle: 1, goal: '30MiB' }] }),
      '--db',
      db,
    ]);
    const [{ seq: end }] = cliJson<{ seq: number }[]>([
      'query',
      `SELECT max(seq) AS seq FROM events_v WHERE run = ${r.id} AND type = 'memory_reclaim_end'`,
      '--db',
      db,
    ]);
    const current = Number(cat(db, r.id, `${JOB}/memory.current`, end));
    expect(current).toBeGreaterThanOrEqual(50 * MiB);
    const ends = cliJson<{ a: number; b: number }[]>([
      'query',
      `SELECT a, b FROM events_v WHERE run = ${r.id} AND type = 'memory_reclaim_end'`,
      '--db',
      db,
    ]);
    expect(ends).toEqual(new Array(5).fill({ a: 0, b: 1 })); // 5 tries, each EAGAIN with nothing reclaimed
  });

  it('with swap (test_memcg_reclaim on 50M anon + 50M page cache), writing current − goal swaps anon out too and lands within 3% of the goal in ≤ 5 tries', () => {
    const file = join(dir, 'swap-reclaim.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'selftest-swap',
        seed: 1,
        machine: { lru: 'classic', memory: '512MiB', swap: '256MiB' },
        policy: 'reparent',
        workload: {
          kind: 'restart-cycles',
          cycles: 1,
          sharedFilePages: 12800,
          privateFilePages: 0,
          anonPages: 12800,
          accessesPerCycle: 0,
          proactive: [{ cgroup: JOB, atCycle: 1, goal: '30MiB' }],
        },
      }),
    );
    const r = cliJson(['run', file, '--db', db]);
    const ends = cliJson<{ seq: number; a: number; b: number }[]>([
      'query',
      `SELECT seq, a, b FROM events_v WHERE run = ${r.id} AND type = 'memory_reclaim_end' ORDER BY seq`,
      '--db',
      db,
    ]);
    expect(ends.length).toBeGreaterThanOrEqual(1);
    expect(ends.length).toBeLessThanOrEqual(5);
    const current = Number(cat(db, r.id, `${JOB}/memory.current`, ends.at(-1)!.seq));
    expect(Math.abs(current - 30 * MiB) / (30 * MiB)).toBeLessThanOrEqual(0.03);
    const stat = cat(db, r.id, `${JOB}/memory.stat`, ends.at(-1)!.seq);
    const anon = Number(/^anon (\d+)$/m.exec(stat)![1]);
    expect(anon).toBeLessThan(50 * MiB); // anon went to swap: the file cache alone could not reach 30M
    const swapOuts = cliJson<{ n: number }[]>([
      'query',
      `SELECT count(*) AS n FROM events_v WHERE run = ${r.id} AND type = 'swap_out'`,
      '--db',
      db,
    ]);
    expect(swapOuts[0].n).toBeGreaterThan(0);
  });
});
