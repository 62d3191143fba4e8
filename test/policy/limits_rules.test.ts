import { describe, expect, it } from 'vitest';
import { HZ, MEMCG_CHARGE_BATCH, ROOT_MEMCG } from '../../src/kernel/constants.js';
import { CHARGE_STOCKED, E, EventType, LIMIT_HIGH, LIMIT_MAX, MACHINE_OBJCG, RECLAIM_EAGAIN } from '../../src/kernel/events.js';
import { MEMCG_HIGH, MEMCG_MAX, MEMCG_OOM, MEMCG_OOM_KILL } from '../../src/kernel/memcg_events.js';
import { pageCacheKey } from '../../src/kernel/state.js';
import { rmdir } from '../../src/policy/cgroup.js';
import { chargePage, tryChargeMemcg } from '../../src/policy/charge.js';
import { memcgMemoryEvent } from '../../src/policy/memcg_event.js';
import { memoryReclaim } from '../../src/policy/memcg_reclaim.js';
import { calculateHighDelay, calculateOverage } from '../../src/policy/memory_high.js';
import { selectBadProcess } from '../../src/policy/oom.js';
import { faultAnon, readPage } from '../../src/policy/pagecache.js';
import { TestCtx } from '../helpers.js';

const MiB = 256; // pages

/** root ← /a (2) ← /a/b (3) ← /a/b/c (4), on a roomy machine. */
function tree(memoryPages = 1024 * MiB): TestCtx {
  const ctx = new TestCtx();
  ctx.emit(E.machine(memoryPages, MACHINE_OBJCG));
  ctx.emit(E.memcgCreate(2, ROOT_MEMCG, 'a'));
  ctx.emit(E.memcgCreate(3, 2, 'b'));
  ctx.emit(E.memcgCreate(4, 3, 'c'));
  return ctx;
}
const types = (ctx: TestCtx, type: number) => ctx.log.filter((e) => e.type === type);

describe('memcg_memory_event (__memcg_memory_event)', () => {
  it('counts locally on the memcg and hierarchically on it and every ancestor below the root', () => {
    const ctx = tree();
    memcgMemoryEvent(ctx, 4, MEMCG_MAX);
    memcgMemoryEvent(ctx, 3, MEMCG_HIGH);
    const ev = (id: number) => ctx.s.memcgs.get(id)!;
    expect(ev(4).eventsLocal).toEqual([0, 0, 1, 0, 0, 0]);
    expect(ev(4).events).toEqual([0, 0, 1, 0, 0, 0]);
    expect(ev(3).eventsLocal).toEqual([0, 1, 0, 0, 0, 0]);
    expect(ev(3).events).toEqual([0, 1, 1, 0, 0, 0]);
    expect(ev(2).events).toEqual([0, 1, 1, 0, 0, 0]);
    expect(ev(2).eventsLocal).toEqual([0, 0, 0, 0, 0, 0]);
    expect(ev(ROOT_MEMCG).events).toEqual([0, 0, 0, 0, 0, 0]); // the root is not reached
    expect(ctx.s.lab.memoryEvents).toEqual([0, 1, 1, 0, 0, 0]);
  });
});

describe('try_charge_memcg: the charge batch and the stock', () => {
  it('charges MEMCG_CHARGE_BATCH at once; the excess goes to the stock, which serves the next charges', () => {
    const ctx = tree();
    for (let i = 0; i < MEMCG_CHARGE_BATCH + 1; i++) readPage(ctx, 4, pageCacheKey(1, i));
    const m = ctx.s.memcgs.get(4)!;
    expect(m.memory).toBe(2 * MEMCG_CHARGE_BATCH); // 65 pages used, 128 charged
    expect(m.stock).toBe(MEMCG_CHARGE_BATCH - 1);
    expect(ctx.s.memcgs.get(2)!.memory).toBe(2 * MEMCG_CHARGE_BATCH);
    const charges = types(ctx, EventType.charge);
    expect(charges.filter((e) => e.a & CHARGE_STOCKED)).toHaveLength(MEMCG_CHARGE_BATCH - 1);
    expect(types(ctx, EventType.memcg_stock).map((e) => e.a)).toEqual([63, 63]);
  });

  it('falls back to the page itself near memory.max (batch = nr_pages) with no max event', () => {
    const ctx = tree();
    ctx.emit(E.limitSet(3, LIMIT_MAX, 10));
    expect(tryChargeMemcg(ctx, 4)).toBe(0);
    expect(ctx.s.memcgs.get(4)!.stock).toBe(0);
    expect(ctx.s.memcgs.get(3)!.events[MEMCG_MAX]).toBe(0);
  });

  it('rmdir drains the stock (drain_all_stock at css_offline)', () => {
    const ctx = tree();
    readPage(ctx, 4, pageCacheKey(1, 0));
    rmdir(ctx, 4);
    expect(ctx.s.memcgs.get(3)!.memory).toBe(1);
    expect(ctx.s.stockPages).toBe(0);
  });
});

describe('memory.high (mem_cgroup_handle_over_high, reclaim_high, calculate_high_delay)', () => {
  it('calculate_high_delay matches the kernel comment table for high = 100M (64 pages over)', () => {
    const high = 100 * MiB;
    expect(calculateHighDelay(64, calculateOverage(101 * MiB, high))).toBe(6);
    expect(calculateHighDelay(64, calculateOverage(110 * MiB, high))).toBe(639);
    expect(calculateHighDelay(64, calculateOverage(118 * MiB, high))).toBeGreaterThanOrEqual(2 * HZ);
    expect(calculateHighDelay(64, calculateOverage(high, high))).toBe(0);
    expect(calculateHighDelay(16, calculateOverage(110 * MiB, high))).toBe(159); // × nr_pages / MEMCG_CHARGE_BATCH
  });

  it('charges go past memory.high; the task reclaims on return to user and, when reclaim cannot keep up, sleeps the penalty', () => {
    const ctx = tree();
    ctx.emit(E.jobStart(4, 1));
    ctx.emit(E.limitSet(3, LIMIT_HIGH, 1 * MiB));
    for (let i = 0; i < 2 * MiB; i++) expect(faultAnon(ctx, 4)).toBeGreaterThan(0); // never refused
    const m3 = ctx.s.memcgs.get(3)!;
    expect(m3.memory).toBe(2 * MiB); // anon without swap: nothing to reclaim, nothing refused
    expect(m3.eventsLocal[MEMCG_HIGH]).toBeGreaterThan(0);
    expect(ctx.s.memcgs.get(4)!.events[MEMCG_HIGH]).toBe(0); // raised on the over-high level only
    expect(ctx.s.memcgs.get(4)!.nrPagesOverHigh).toBe(0);
    const sleeps = types(ctx, EventType.memcg_throttle);
    expect(sleeps.length).toBeGreaterThan(0);
    for (const e of sleeps) {
      expect(e.a).toBeGreaterThan(HZ / 100); // none at ≤ 10 ms
      expect(e.a).toBeLessThanOrEqual(2 * HZ); // capped at 2 s
      expect(e.b).toBe(e.a); // msPerTick 1
    }
    expect(sleeps.at(-1)!.a).toBe(2 * HZ); // 100% over: the cap
    expect(ctx.s.lab.throttleTicks).toBe(sleeps.reduce((n, e) => n + e.b, 0));
    // the sleep moved the clock: the next event is stamped after the wake-up
    expect(ctx.s.tick).toBeGreaterThanOrEqual(ctx.s.lab.throttleTicks);
  });
});

describe('memory.reclaim (user_proactive_reclaim)', () => {
  it('asks for a quarter of what is left per pass (at least SWAP_CLUSTER_MAX) and reports success', () => {
    const ctx = tree();
    for (let i = 0; i < 1200; i++) readPage(ctx, 4, pageCacheKey(1, i));
    expect(memoryReclaim(ctx, 3, 1000)).toBe(true);
    const asks = types(ctx, EventType.reclaim_begin).map((e) => e.a);
    expect(asks[0]).toBe(250);
    expect(asks.every((a) => a >= 32)).toBe(true);
    const end = types(ctx, EventType.memory_reclaim_end).at(-1)!;
    expect(end.a).toBeGreaterThanOrEqual(1000);
    expect(end.b).toBe(0);
  });

  it('gives up with -EAGAIN after MAX_RECLAIM_RETRIES passes that reclaimed nothing (17 passes)', () => {
    const ctx = tree();
    ctx.emit(E.jobStart(4, 1));
    for (let i = 0; i < 200; i++) faultAnon(ctx, 4);
    expect(memoryReclaim(ctx, 4, 100, 60)).toBe(false);
    expect(types(ctx, EventType.reclaim_begin)).toHaveLength(17);
    expect(types(ctx, EventType.memory_reclaim).at(-1)!.b).toBe(60);
    expect(types(ctx, EventType.memory_reclaim_end).at(-1)!.b).toBe(RECLAIM_EAGAIN);
  });
});

describe('the OOM killer', () => {
  it('select_bad_process: the task with the most anon in the OOM domain; an OOM victim is passed over', () => {
    const ctx = tree();
    ctx.emit(E.memcgCreate(5, 2, 'd'));
    ctx.emit(E.jobStart(4, 1));
    ctx.emit(E.jobStart(5, 1));
    for (let i = 0; i < 10; i++) faultAnon(ctx, 4);
    for (let i = 0; i < 20; i++) faultAnon(ctx, 5);
    expect(selectBadProcess(ctx.s, 2)).toBe(5);
    expect(selectBadProcess(ctx.s, 3)).toBe(4); // /a/d is outside /a/b
    ctx.emit(E.oomKill(5, 2));
    expect(selectBadProcess(ctx.s, 2)).toBe(4);
  });

  it('a global OOM kills the charging job (oom_kill on its memcg, no oom event) and the charge goes on', () => {
    const ctx = tree(64);
    ctx.emit(E.jobStart(4, 1));
    let ok = 0;
    for (let i = 0; i < 100; i++) if (faultAnon(ctx, 4)) ok++;
    const m = ctx.s.memcgs.get(4)!;
    expect(m.oomVictim).toBe(true);
    expect(m.events[MEMCG_OOM_KILL]).toBe(1);
    expect(m.events[MEMCG_OOM]).toBe(0);
    expect(ctx.s.memcgs.get(ROOT_MEMCG)!.memory - ctx.s.stockPages).toBeLessThanOrEqual(64);
    expect(ok).toBeGreaterThan(64); // after the reap, charges fit again
    expect(types(ctx, EventType.oom_kill)[0].a).toBe(ROOT_MEMCG);
  });

  it('with no task to kill, a charge that cannot be met fails (-ENOMEM) instead of throwing', () => {
    const ctx = tree();
    ctx.emit(E.limitSet(4, LIMIT_MAX, 4));
    for (let i = 0; i < 4; i++) expect(faultAnon(ctx, 4)).toBeGreaterThan(0);
    expect(chargePage(ctx, 4)).toBeNull();
    expect(ctx.s.memcgs.get(4)!.events).toEqual([0, 0, 18, 1, 0, 0]);
  });
});
