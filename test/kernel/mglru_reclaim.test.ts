import { describe, expect, it } from 'vitest';
import { LRU_GEN_ANON, LRU_GEN_FILE, ROOT_MEMCG } from '../../src/kernel/constants.js';
import { E, EVENT_NAMES, FOLIO_FILE, MACHINE_MGLRU, MACHINE_OBJCG, SYSCTL_SWAP_PAGES, SYSCTL_SWAPPINESS } from '../../src/kernel/events.js';
import { MEMCG_LRU_YOUNG } from '../../src/kernel/memcg_lru.js';
import { tierIndex } from '../../src/kernel/mmzone.js';
import { lruvecOf } from '../../src/kernel/node.js';
import { newLruGen, pageCacheKey } from '../../src/kernel/state.js';
import { ageToMaxGens } from '../../src/policy/aging_mglru.js';
import { getPolicy } from '../../src/policy/policies.js';
import { tryToFreePages } from '../../src/policy/reclaim.js';
import { getTypeToScan } from '../../src/policy/reclaim_mglru.js';
import { TestCtx } from '../helpers.js';

/** Job 3 with 40 file folios all in its youngest gen and only MIN_NR_GENS gens: reclaim must age it first. */
function toMinNrGens(ctx: TestCtx): void {
  const first = ctx.s.nextFolio;
  for (let i = 0; i < 40; i++) ctx.emit(E.charge(first + i, 3, FOLIO_FILE, pageCacheKey(1, i)));
  const maxGen = lruvecOf(ctx.s.memcgs.get(3)!, 0).lrugen.maxSeq % 4;
  for (let i = 0; i < 40; i++) {
    ctx.emit(E.genUpdate(first + i, maxGen));
    ctx.emit(E.genUpdate(first + i, maxGen));
  }
  for (let i = 0; i < 40; i++) ctx.emit(E.sort(first + i, 1)); // lazily moved to their gen's list
  ctx.emit(E.incMinSeq(3, LRU_GEN_FILE, 1));
}

function ctxOn(policy = 'legacy'): TestCtx {
  const ctx = new TestCtx(getPolicy(policy));
  ctx.emit(E.machine(100_000, MACHINE_MGLRU | (ctx.policy.objcgCharging ? MACHINE_OBJCG : 0)));
  ctx.emit(E.memcgCreate(2, ROOT_MEMCG, 'system.slice'));
  ctx.emit(E.memcgCreate(3, 2, 'job@1.service'));
  return ctx;
}

describe('MGLRU reclaim rules (issue 9)', () => {
  it('try_to_inc_min_seq: skipping several empty gens folds the stats once (one reset_ctrl_pos per type)', () => {
    const ctx = ctxOn();
    const g = () => lruvecOf(ctx.s.memcgs.get(3)!, 0).lrugen;
    ctx.emit(E.age(3, 2)); // max_seq 4, min_seq 1: 4 gens, all empty
    const before = g().minSeq[LRU_GEN_FILE];
    // a period's stats: evicted 8 in tier 0
    (g() as { evicted: number[] }).evicted[tierIndex(LRU_GEN_FILE, 0)] = 8;
    ctx.emit(E.incMinSeq(3, LRU_GEN_FILE, 2));
    expect(g().minSeq[LRU_GEN_FILE]).toBe(before + 2);
    expect(g().avgTotal[tierIndex(LRU_GEN_FILE, 0)]).toBe(4); // (0 + 8) / 2 once, not halved again to 2
    expect(() => ctx.emit(E.incMinSeq(3, LRU_GEN_FILE, 1))).toThrow(/MIN_NR_GENS|only/); // MIN_NR_GENS must stay
  });

  it('max_lru_gen_memcg ages with the global swappiness: anon is evictable (moved up by inc_min_seq) unless swappiness is 0', () => {
    const ctx = ctxOn('reparent');
    ctx.emit(E.jobStart(3, 1));
    // bring /system.slice to MIN_NR_GENS + 1 for file by evicting nothing: age the parent until a type is at 4 first
    ageToMaxGens(ctx, ctx.s.memcgs.get(2)!, 0);
    const ages = ctx.log.filter((e) => EVENT_NAMES[e.type] === 'age');
    for (const e of ages) expect(e.a).toBe((1 << LRU_GEN_ANON) | (1 << LRU_GEN_FILE));
    const ctx0 = new TestCtx(getPolicy('reparent'));
    ctx0.emit(E.machine(100_000, MACHINE_MGLRU | MACHINE_OBJCG));
    ctx0.emit(E.sysctl(SYSCTL_SWAPPINESS, 0));
    ctx0.emit(E.memcgCreate(2, ROOT_MEMCG, 's'));
    ctx0.emit(E.age(2, 2)); // 4 → needs no aging; make it 3 gens
    ctx0.emit(E.incMinSeq(2, LRU_GEN_FILE, 1));
    ageToMaxGens(ctx0, ctx0.s.memcgs.get(2)!, 0);
    expect(
      ctx0.log
        .filter((e) => EVENT_NAMES[e.type] === 'age')
        .slice(1)
        .every((e) => e.a === 1 << LRU_GEN_FILE),
    ).toBe(true);
  });

  it('get_type_to_scan: file at swappiness <= 1, anon at 200, else the type whose refaults are not clearly worse', () => {
    const g = newLruGen(0);
    expect(getTypeToScan(g, 1)).toBe(LRU_GEN_FILE);
    expect(getTypeToScan(g, 200)).toBe(LRU_GEN_ANON);
    expect(getTypeToScan(g, 60)).toBe(LRU_GEN_FILE); // file refaulted < MIN_LRU_BATCH: file
    g.refaulted[tierIndex(LRU_GEN_FILE, 0)] = 500; // file refaults a lot
    g.evicted[tierIndex(LRU_GEN_FILE, 0)] = 600;
    g.evicted[tierIndex(LRU_GEN_ANON, 0)] = 600; // anon evicted as much, never refaulted
    expect(getTypeToScan(g, 60)).toBe(LRU_GEN_ANON);
  });

  it('shrink_one: an online memcg whose lruvec just aged goes to the young memcg-LRU gen (success && online → MEMCG_LRU_YOUNG)', () => {
    const ctx = ctxOn('reparent');
    // two gens' worth of file in job 3, aged down to MIN_NR_GENS so get_nr_to_scan must age
    toMinNrGens(ctx);
    const from = ctx.log.length;
    tryToFreePages(ctx, ROOT_MEMCG, 32);
    const after = ctx.log.slice(from);
    const aged = after.findIndex((e) => EVENT_NAMES[e.type] === 'age' && e.memcg === 3);
    expect(aged).toBeGreaterThan(-1);
    const rot = after.slice(aged).find((e) => EVENT_NAMES[e.type] === 'memcg_lru_rotate' && e.memcg === 3);
    expect(rot?.a).toBe(MEMCG_LRU_YOUNG);
  });

  it('lru_gen_shrink_lruvec (memcg reclaim): an lruvec that aged rotates to MEMCG_LRU_YOUNG in the global memcg LRU', () => {
    const ctx = ctxOn('reparent');
    toMinNrGens(ctx);
    const from = ctx.log.length;
    tryToFreePages(ctx, 3, 32); // non-root target: shrink_node_memcgs → lru_gen_shrink_lruvec
    const seq = ctx.log.slice(from).map((e) => EVENT_NAMES[e.type]);
    const aged = seq.indexOf('age');
    expect(aged).toBeGreaterThan(-1);
    const rot = ctx.log.slice(from + aged).find((e) => EVENT_NAMES[e.type] === 'memcg_lru_rotate');
    expect(rot?.a).toBe(MEMCG_LRU_YOUNG);
  });

  it('with swap (>= MIN_LRU_BATCH free slots) MGLRU evicts anon through the swap cache', () => {
    const ctx = ctxOn('reparent');
    ctx.emit(E.sysctl(SYSCTL_SWAP_PAGES, 1000));
    ctx.emit(E.sysctl(SYSCTL_SWAPPINESS, 200)); // anon only
    for (let i = 0; i < 200; i++) ctx.emit(E.charge(ctx.s.nextFolio, 3, 0, 0)); // anon, not mapped
    for (let r = 0; r < 4; r++) tryToFreePages(ctx, 3, 64);
    expect(ctx.log.some((e) => EVENT_NAMES[e.type] === 'swap_out')).toBe(true);
  });
});
