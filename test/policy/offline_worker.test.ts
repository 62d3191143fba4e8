import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LRU_GEN_FILE, MAX_NR_GENS, ROOT_MEMCG } from '../../src/kernel/constants.js';
import { E, EVENT_NAMES, type Event, EventType, MACHINE_MGLRU, MACHINE_OBJCG } from '../../src/kernel/events.js';
import { checkInvariants } from '../../src/kernel/invariants.js';
import { getNrGens, lruGenFromSeq } from '../../src/kernel/lru_gen.js';
import { lruGenIndex } from '../../src/kernel/mmzone.js';
import { lruvecOf, nodeData } from '../../src/kernel/node.js';
import { folioMemcgId, pageCacheKey } from '../../src/kernel/state.js';
import { parseExperiment } from '../../src/lab/experiment.js';
import { rmdir } from '../../src/policy/cgroup.js';
import { tryToFreeMemCgroupPages } from '../../src/policy/memcg_reclaim.js';
import { NEIGHBOUR_CGROUP } from '../../src/policy/neighbour.js';
import { readPage } from '../../src/policy/pagecache.js';
import { getPolicy } from '../../src/policy/policies.js';
import type { ConcurrencyOptions } from '../../src/policy/tasks.js';
import { runProactive } from '../../src/workload/proactive.js';
import { applyAll, TestCtx } from '../helpers.js';

// kswapd and the memcg offline worker as tasks (machine.concurrency.kswapd / offlineWorker).

const CONC = (o: Partial<ConcurrencyOptions>): ConcurrencyOptions => ({
  agingWalk: false,
  cgroupReader: false,
  lruBatch: false,
  stepProbability: 0.25,
  ...o,
});

/** An MGLRU machine of `pages` pages with /system.slice and a job under it. */
function machine(concurrency?: ConcurrencyOptions, pages = 2048, check = true): TestCtx {
  const ctx = new TestCtx(getPolicy('reparent', 'same-gen'), check, 1, concurrency);
  ctx.emit(E.machine(pages, MACHINE_MGLRU | MACHINE_OBJCG));
  ctx.emit(E.memcgCreate(2, ROOT_MEMCG, 'system.slice'));
  ctx.emit(E.memcgCreate(3, 2, 'job@1.service'));
  return ctx;
}

const names = (log: Event[]) => log.map((e) => `${EVENT_NAMES[e.type]} ${e.memcg} ${e.folio} ${e.a} ${e.b}`);

describe('kswapd as a task (balance_pgdat one priority pass per step)', () => {
  it('drained right after the charge that woke it, it logs what inline kswapd logs', () => {
    const inline = machine(undefined, 1024, false);
    const task = machine(CONC({ kswapd: true }), 1024, false);
    for (const ctx of [inline, task]) {
      for (let i = 0; i < 3000 && !ctx.log.some((e) => e.type === EventType.kswapd_sleep); i++) {
        readPage(ctx, 3, pageCacheKey(1, i));
        ctx.endStep(); // no preemption point: the task runs only here, where inline kswapd ran
      }
    }
    expect(inline.log.some((e) => e.type === EventType.kswapd_wake)).toBe(true);
    expect(names(task.log)).toEqual(names(inline.log));
    expect(checkInvariants(task.s)).toEqual([]);
  });

  it('runs between the workload operations and is one task per node however often it is woken', () => {
    const ctx = new TestCtx(getPolicy('reparent', 'same-gen'), false, 1, CONC({ kswapd: true, stepProbability: 0.05 }));
    ctx.emit(E.machine(2048, MACHINE_MGLRU | MACHINE_OBJCG));
    ctx.emit(E.memcgCreate(3, ROOT_MEMCG, 'job@1.service'));
    for (let i = 0; i < 3000; i++) {
      ctx.advance();
      readPage(ctx, 3, pageCacheKey(1, i));
    }
    ctx.endStep();
    expect(checkInvariants(ctx.s)).toEqual([]);
    // charges between a kswapd_wake and its kswapd_sleep: the workload ran while kswapd was awake
    let awake = false;
    let overlapped = 0;
    for (const e of ctx.log) {
      if (e.type === EventType.kswapd_wake) awake = true;
      else if (e.type === EventType.kswapd_sleep) awake = false;
      else if (awake && e.type === EventType.charge) overlapped++;
    }
    expect(overlapped).toBeGreaterThan(0);
    const wakes = ctx.log.filter((e) => e.type === EventType.kswapd_wake).length;
    expect(wakes).toBeGreaterThan(0);
    expect(ctx.log.filter((e) => e.type === EventType.kswapd_sleep)).toHaveLength(wakes);
    expect(nodeData(ctx.s, 0).kswapdAwake).toBe(false);
  });
});

describe('the offline worker (kill_css … css_killed_work_fn)', () => {
  it('holds a css ref across the offline, so a memcg is not freed under it, and the invariants count it', () => {
    const s = applyAll([
      E.machine(1000, MACHINE_MGLRU | MACHINE_OBJCG),
      E.memcgCreate(2, ROOT_MEMCG, 'system.slice'),
      E.killCss(2),
      E.memcgOffline(2),
    ]);
    const m = s.memcgs.get(2)!;
    expect(s.offlining).toBe(2);
    expect(checkInvariants(s)).toEqual([]);
    expect(() => applyAll([E.memcgFree(2)], s)).toThrow(/css refs|objcgs/);
    applyAll([E.offlineCssDone(2)], s);
    expect([s.offlining, m.cssRefs]).toEqual([0, 0]);
    expect(() => applyAll([E.offlineCssDone(2)], s)).toThrow(/no offline/);
  });

  it('one offline at a time, and only of an online memcg', () => {
    const s = applyAll([
      E.machine(1000, MACHINE_MGLRU),
      E.memcgCreate(2, ROOT_MEMCG, 'a'),
      E.memcgCreate(3, ROOT_MEMCG, 'b'),
      E.killCss(2),
    ]);
    expect(() => applyAll([E.killCss(3)], s)).toThrow(/still running/);
    const t = applyAll([E.machine(1000, MACHINE_MGLRU), E.memcgCreate(2, ROOT_MEMCG, 'a'), E.memcgOffline(2)]);
    expect(() => applyAll([E.killCss(2)], t)).toThrow(/not online/);
  });

  it('rmdir brackets the offline with the css ref and frees the memcg after it', () => {
    const ctx = machine(CONC({ offlineWorker: true }));
    readPage(ctx, 3, pageCacheKey(1, 0));
    rmdir(ctx, 3);
    const seq = names(ctx.log)
      .map((l) => l.split(' ')[0])
      .filter((n) => ['kill_css', 'memcg_offline', 'reparent_locks', 'offline_css_done', 'memcg_free'].includes(n));
    expect(seq).toEqual(['kill_css', 'memcg_offline', 'reparent_locks', 'offline_css_done', 'memcg_free']);
  });

  it('a reclaimer that empties the parent oldest gen at the yield point makes the series recheck and retry', () => {
    // The yield point after max_lru_gen_memcg: another CPU's try_to_inc_min_seq drops the parent's
    // empty oldest gens there (as eviction of their last folios would). The locks then find
    // fewer than MAX_NR_GENS: unlock, age again, lock (recheck_lru_gen_max_memcg).
    class Racing extends TestCtx {
      raced = false;
      override yieldPoint(path: 'offline' | 'reclaim'): void {
        super.yieldPoint(path);
        if (this.raced) return;
        this.raced = true;
        const g = lruvecOf(this.s.memcgs.get(2)!, 0).lrugen;
        while (getNrGens(g, LRU_GEN_FILE) > 2 && !g.lists[lruGenIndex(lruGenFromSeq(g.minSeq[LRU_GEN_FILE]), LRU_GEN_FILE)].count)
          this.emit(E.incMinSeq(2, LRU_GEN_FILE));
      }
    }
    const ctx = new Racing(getPolicy('reparent', 'same-gen'), true, 1, CONC({ offlineWorker: true }));
    ctx.emit(E.machine(2048, MACHINE_MGLRU | MACHINE_OBJCG));
    ctx.emit(E.memcgCreate(2, ROOT_MEMCG, 'system.slice'));
    ctx.emit(E.memcgCreate(3, 2, 'job@1.service'));
    readPage(ctx, 3, pageCacheKey(1, 0));
    rmdir(ctx, 3);
    expect(ctx.s.lab.reparentRetries).toBe(1);
    expect(getNrGens(lruvecOf(ctx.s.memcgs.get(2)!, 0).lrugen, LRU_GEN_FILE)).toBe(MAX_NR_GENS);
    expect(ctx.log.filter((e) => e.type === EventType.reparent_locks)).toHaveLength(2);
  });
});

describe('memory.reclaim writes as tasks (machine.concurrency.memoryReclaim)', () => {
  const write = (cgroup: string) => [{ cgroup, everyCycles: 1, bytes: 64 * 4096 }];
  function filled(concurrency?: ConcurrencyOptions): TestCtx {
    const ctx = machine(concurrency, 4096, false);
    for (let i = 0; i < 600; i++) readPage(ctx, 3, pageCacheKey(1, i));
    return ctx;
  }

  it('drained at once, a write logs what the inline write logs', () => {
    const inline = filled();
    const task = filled(CONC({ memoryReclaim: true, stepProbability: 0.05 }));
    for (const ctx of [inline, task]) {
      runProactive(ctx, write('/system.slice'), 1);
      ctx.endStep();
    }
    const n = inline.log.filter((e) => e.type === EventType.reclaim_begin).length;
    expect(n).toBeGreaterThan(1); // more than one pass: the task really stepped
    expect(names(task.log)).toEqual(names(inline.log));
  });

  it('rmdir of the cgroup written waits for the write to end (kernfs_drain), then offlines it', () => {
    const ctx = filled(CONC({ memoryReclaim: true, stepProbability: 0.05 }));
    runProactive(ctx, write('/system.slice/job@1.service'), 1);
    const from = ctx.log.length;
    expect(ctx.log.some((e) => e.type === EventType.memory_reclaim)).toBe(true);
    expect(ctx.log.some((e) => e.type === EventType.memory_reclaim_end)).toBe(false); // still running
    rmdir(ctx, 3);
    const order = ctx.log.slice(from).map((e) => EVENT_NAMES[e.type]);
    expect(order.indexOf('memory_reclaim_end')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('memory_reclaim_end')).toBeLessThan(order.indexOf('memcg_offline'));
    expect(checkInvariants(ctx.s)).toEqual([]);
  });

  it('an experiment asking for it without memory.reclaim agents is refused, naming the field', () => {
    expect(() => parseExperiment({ machine: { concurrency: { memoryReclaim: true } } })).toThrow(
      /machine\.concurrency\.memoryReclaim.*needs workload\.proactive/,
    );
  });
});

describe('direct reclaim preemptible between its priority passes (machine.concurrency.directReclaim)', () => {
  /** A reclaim that cannot reach its goal walks every priority: yield points between the passes. */
  function reclaimAll(concurrency: ConcurrencyOptions): { yields: number; preempts: number } {
    let yields = 0;
    let preempts = 0;
    class Counting extends TestCtx {
      override yieldPoint(path: 'offline' | 'reclaim'): void {
        if (path === 'reclaim') yields++;
        super.yieldPoint(path);
      }
    }
    const ctx = new Counting(getPolicy('reparent', 'same-gen'), false, 1, concurrency);
    ctx.emit(E.machine(1024, MACHINE_MGLRU | MACHINE_OBJCG));
    ctx.emit(E.memcgCreate(3, ROOT_MEMCG, 'job@1.service'));
    for (let i = 0; i < 64; i++) readPage(ctx, 3, pageCacheKey(1, i));
    const preempt = ctx.tasks!.preempt.bind(ctx.tasks);
    ctx.tasks!.preempt = (c) => {
      preempts++;
      preempt(c);
    };
    tryToFreeMemCgroupPages(ctx, 3, 10_000, {});
    expect(checkInvariants(ctx.s)).toEqual([]);
    return { yields, preempts };
  }

  it('other tasks may run between passes only with the option on', () => {
    const on = reclaimAll(CONC({ directReclaim: true }));
    expect(on.yields).toBeGreaterThan(1);
    expect(on.preempts).toBe(on.yields);
    const off = reclaimAll(CONC({ kswapd: true }));
    expect(off.yields).toBe(on.yields);
    expect(off.preempts).toBe(0);
  });
});

describe('a second job on another CPU (machine.concurrency.neighbour)', () => {
  it('reads its own file in /neighbour.slice between the workload operations, and reclaims when memory is short', () => {
    const ctx = new TestCtx(getPolicy('reparent', 'same-gen'), false, 1, CONC({ neighbour: 4096, stepProbability: 0.5 }));
    ctx.emit(E.machine(1024, MACHINE_MGLRU | MACHINE_OBJCG));
    ctx.emit(E.memcgCreate(2, ROOT_MEMCG, 'system.slice'));
    ctx.emit(E.memcgCreate(3, 2, 'job@1.service'));
    for (let i = 0; i < 2000; i++) {
      ctx.advance();
      readPage(ctx, 3, pageCacheKey(1, i % 700));
    }
    ctx.endStep();
    expect(checkInvariants(ctx.s)).toEqual([]);
    const nb = [...ctx.s.memcgs.values()].find((m) => m.path === `/${NEIGHBOUR_CGROUP}`)!;
    expect(nb.parent).toBe(ROOT_MEMCG);
    expect([...ctx.s.folios.values()].filter((f) => folioMemcgId(ctx.s, f) === nb.id).length).toBeGreaterThan(0);
    // its charges come between the workload's: a neighbour charge right after a job charge, and the reverse
    const owners = ctx.log.filter((e) => e.type === EventType.charge).map((e) => e.memcg);
    expect(owners.some((m, i) => m === nb.id && owners[i - 1] === 3)).toBe(true);
    expect(owners.some((m, i) => m === 3 && owners[i - 1] === nb.id)).toBe(true);
    // memory is 1024 pages: someone evicted the other's folios (the two reclaim each other's page cache)
    expect(ctx.log.filter((e) => e.type === EventType.evict).length).toBeGreaterThan(0);
  });

  it('is refused on a trace workload (the trace owns every inode), in one line naming the field', () => {
    expect(() =>
      parseExperiment(
        { machine: { concurrency: { neighbour: 64 } }, workload: { kind: 'trace', file: resolve('experiments/trace/example.csv') } },
        'exp',
      ),
    ).toThrow(/machine\.concurrency\.neighbour: got 64: .*needs workload\.kind "restart-cycles"/);
  });
});
