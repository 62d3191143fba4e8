import { describe, expect, it } from 'vitest';
import { LRU_ACTIVE_FILE, LRU_INACTIVE_ANON, LRU_INACTIVE_FILE, ROOT_MEMCG } from '../../src/kernel/constants.js';
import {
  E,
  EVENT_NAMES,
  FOLIO_FILE,
  FOLIO_MAPPED,
  LIMIT_LOW,
  LIMIT_MIN,
  MACHINE_MGLRU,
  MACHINE_OBJCG,
  SYSCTL_IO_TICKS,
  SYSCTL_SWAP_PAGES,
  SYSCTL_WRITEBACK_TICKS,
} from '../../src/kernel/events.js';
import { MEMCG_LOW } from '../../src/kernel/memcg_events.js';
import { MEMCG_LRU_TAIL } from '../../src/kernel/memcg_lru.js';
import { lruvecOf } from '../../src/kernel/node.js';
import { Stat } from '../../src/kernel/stat.js';
import { MEMCG_DYING, pageCacheKey } from '../../src/kernel/state.js';
import { calculateMinFreeKbytes, zoneWatermarks } from '../../src/kernel/watermark.js';
import { mkdir, rmdir } from '../../src/policy/cgroup.js';
import { faultAnon, freeFolio, readPage, writePage } from '../../src/policy/pagecache.js';
import { getPolicy } from '../../src/policy/policies.js';
import { tryToFreePages } from '../../src/policy/reclaim.js';
import { proportionalTrim } from '../../src/policy/reclaim_classic.js';
import { getScanCount, scanFractions } from '../../src/policy/vmscan/get_scan_count.js';
import { effectiveProtection } from '../../src/policy/vmscan/protection.js';
import { DEACTIVATE_FILE, newScanControl, RECLAIMER_DIRECT } from '../../src/policy/vmscan/scan_control.js';
import {
  FOLIOREF_ACTIVATE,
  FOLIOREF_KEEP,
  FOLIOREF_RECLAIM,
  FOLIOREF_RECLAIM_CLEAN,
  folioCheckReferences,
} from '../../src/policy/vmscan/shrink_folio_list.js';
import { prepareScanControl } from '../../src/policy/vmscan/shrink_node.js';
import { runBackgroundWriteback } from '../../src/policy/writeback.js';
import { TestCtx } from '../helpers.js';

const key = (i: number, inode = 1) => pageCacheKey(inode, i);
const names = (ctx: TestCtx, from = 0) => ctx.log.slice(from).map((e) => EVENT_NAMES[e.type]);

/** A roomy classic machine (no watermark pressure), /s and jobs under it. */
function machine(policy = 'legacy', pages = 100_000): TestCtx {
  const ctx = new TestCtx(getPolicy(policy));
  ctx.emit(E.machine(pages, ctx.policy.objcgCharging ? MACHINE_OBJCG : 0));
  ctx.emit(E.memcgCreate(2, ROOT_MEMCG, 's'));
  return ctx;
}

describe('watermarks (__setup_per_zone_wmarks, calculate_min_free_kbytes)', () => {
  it('match the kernel for 4 MiB, 512 MiB and 8 GiB of one zone', () => {
    expect(calculateMinFreeKbytes(1024)).toBe(256);
    expect(zoneWatermarks(1024, 256, 10)).toEqual([64, 80, 96]);
    expect(calculateMinFreeKbytes(131072)).toBe(2896);
    expect(zoneWatermarks(131072, 2896, 10)).toEqual([724, 905, 1086]);
    expect(calculateMinFreeKbytes(2097152)).toBe(11585);
    expect(zoneWatermarks(2097152, 11585, 10)).toEqual([2896, 4993, 7090]);
    expect(calculateMinFreeKbytes(16)).toBe(128); // the clamp
  });
});

describe('shrink_node_memcgs: the reclaim cookie', () => {
  /** n dying memcgs under /s, each with `pages` cached pages that pin it (legacy). */
  function dying(n: number, pages: number): TestCtx {
    const ctx = machine('legacy');
    let k = 0;
    for (let j = 0; j < n; j++) {
      const m = mkdir(ctx, 2, `j${j}`);
      for (let i = 0; i < pages; i++) readPage(ctx, m, key(k++));
      rmdir(ctx, m);
    }
    return ctx;
  }

  it('a limit reclaimer resumes after the last position, stops once it has enough, and the next one goes on from there', () => {
    const ctx = dying(6, 40);
    const visited = (from: number) => [
      ...new Set(
        ctx.log
          .slice(from)
          .filter((e) => EVENT_NAMES[e.type] === 'scan')
          .map((e) => e.memcg),
      ),
    ];
    let from = ctx.log.length;
    tryToFreePages(ctx, 2, 32);
    const first = visited(from);
    expect(first).toEqual([3]); // the root /s has no pages of its own; job 3 alone gives 32 (offline: min(size, 32))
    expect(ctx.s.memcgs.get(2)!.nodeinfo[0].iter.position).toBe(3);
    from = ctx.log.length;
    tryToFreePages(ctx, 2, 32);
    expect(visited(from)).toEqual([4]);
    expect(ctx.s.memcgs.get(2)!.nodeinfo[0].iter.position).toBe(4);
  });

  it('a walk that reaches the end clears the position and bumps the generation', () => {
    const ctx = dying(2, 4);
    tryToFreePages(ctx, 2, 32); // 8 pages in all: never enough, walks to the end at every priority
    const iter = ctx.s.memcgs.get(2)!.nodeinfo[0].iter;
    expect(iter.position).toBe(0);
    expect(iter.generation).toBeGreaterThan(0);
  });

  it('freeing the memcg at the position invalidates it (invalidate_reclaim_iterators)', () => {
    const ctx = dying(3, 32);
    tryToFreePages(ctx, 2, 32); // job 3 gives all 32 pages, is freed with its last page
    expect(ctx.s.memcgs.has(3)).toBe(false);
    expect(ctx.s.memcgs.get(2)!.nodeinfo[0].iter.position).toBe(0);
  });

  it('kswapd walks every memcg without reading or writing the cookie', () => {
    const ctx = machine('legacy', 1024); // 4 MiB: min 64, low 80, high 96
    let k = 0;
    for (let j = 0; j < 4; j++) {
      const m = mkdir(ctx, 2, `j${j}`);
      for (let i = 0; i < 100; i++) readPage(ctx, m, key(k++));
      rmdir(ctx, m);
    }
    const job = mkdir(ctx, 2, 'live');
    const from = ctx.log.length;
    while (ctx.log.slice(from).every((e) => EVENT_NAMES[e.type] !== 'kswapd_sleep')) readPage(ctx, job, key(k++));
    const run = names(ctx, from);
    expect(run).toContain('kswapd_wake');
    expect(run).not.toContain('memcg_iter');
    const scanned = new Set(
      ctx.log
        .slice(from)
        .filter((e) => EVENT_NAMES[e.type] === 'scan')
        .map((e) => e.memcg),
    );
    expect([...scanned].sort()).toEqual([3, 4, 5, 6]); // every dying memcg scraped in one full walk at DEF_PRIORITY
    expect(1024 - ctx.s.memcgs.get(ROOT_MEMCG)!.memory).toBeGreaterThan(96); // back above the high watermark
    expect(
      ctx.s.memcgs.get(ROOT_MEMCG)!.stat[Stat.pgscan_kswapd] +
        [...ctx.s.memcgs.values()].reduce((a, m) => a + m.stat[Stat.pgscan_kswapd], 0),
    ).toBeGreaterThan(0);
  });

  it('direct reclaim below the min watermark: try_to_free_pages with nr_to_reclaim 32, counted as pgscan_direct', () => {
    const ctx = machine('reparent', 1024);
    // a hopeless kswapd (MAX_RECLAIM_RETRIES failed runs) is not woken: free pages fall to min
    for (let i = 0; i < 16; i++) {
      ctx.emit(E.kswapdWake(0));
      ctx.emit(E.kswapdSleep(0, true));
    }
    const m = mkdir(ctx, 2, 'j');
    const from = ctx.log.length;
    for (let i = 0; i < 1000; i++) readPage(ctx, m, key(i));
    const run = names(ctx, from);
    // the first reclaim is direct; its progress clears kswapd_failures, so kswapd is woken again afterwards
    expect(run.indexOf('reclaim_begin')).toBeLessThan(run.indexOf('kswapd_wake'));
    expect(ctx.log[from + run.indexOf('reclaim_begin')].a).toBe(32);
    expect(1024 - ctx.s.memcgs.get(ROOT_MEMCG)!.memory).toBeGreaterThan(64);
    const direct = [...ctx.s.memcgs.values()].reduce((a, x) => a + x.stat[Stat.pgscan_direct], 0);
    expect(direct).toBeGreaterThan(0);
  });

  it('a memcg below memory.min is skipped; below memory.low only in the memcg_low_reclaim retry, with MEMCG_LOW', () => {
    const ctx = machine('reparent');
    const a = mkdir(ctx, 2, 'a');
    const b = mkdir(ctx, 2, 'b');
    for (let i = 0; i < 64; i++) readPage(ctx, a, key(i));
    for (let i = 0; i < 64; i++) readPage(ctx, b, key(100 + i));
    ctx.emit(E.limitSet(a, LIMIT_MIN, 1000));
    ctx.emit(E.limitSet(b, LIMIT_LOW, 1000));
    const from = ctx.log.length;
    const got = tryToFreePages(ctx, 2, 32);
    expect(got).toBeGreaterThan(0);
    expect(ctx.s.memcgs.get(a)!.memory).toBe(64); // min: never reclaimed
    // one MEMCG_LOW per visit of the memcg_low_reclaim pass, none before it
    const low = ctx.log
      .slice(from)
      .filter((e) => EVENT_NAMES[e.type] === 'memcg_memory_event' && e.memcg === b && e.a === MEMCG_LOW).length;
    expect(low).toBeGreaterThan(0);
    expect(ctx.s.memcgs.get(b)!.eventsLocal[MEMCG_LOW]).toBe(low);
    expect(ctx.s.memcgs.get(2)!.events[MEMCG_LOW]).toBe(low); // memory.events is hierarchical
    expect(ctx.s.memcgs.get(b)!.memory).toBeLessThan(64);
  });

  it('effective_protection: siblings claiming more than the parent share it in proportion', () => {
    expect(effectiveProtection(100, 50, 1000, 200)).toBe(50);
    expect(effectiveProtection(100, 50, 100, 200)).toBe(25);
    expect(effectiveProtection(30, 50, 100, 60)).toBe(30);
  });
});

describe('get_scan_count and shrink_lruvec', () => {
  it('SCAN_FILE without swap; SCAN_FRACT with swap weighs anon/file by swappiness and cost', () => {
    const ctx = machine('reparent');
    const m = mkdir(ctx, 2, 'j');
    for (let i = 0; i < 300; i++) readPage(ctx, m, key(i));
    for (let i = 0; i < 300; i++) faultAnon(ctx, m);
    const sc = newScanControl(m, 32, RECLAIMER_DIRECT, 60);
    sc.priority = 4;
    prepareScanControl(ctx.s, sc);
    const mv = ctx.s.memcgs.get(m)!;
    const noSwap = getScanCount(ctx.s, mv, lruvecOf(mv, 0), sc);
    expect(noSwap[LRU_INACTIVE_ANON]).toBe(0);
    expect(noSwap[LRU_INACTIVE_FILE]).toBeGreaterThan(0);
    expect(scanFractions(60, 0, 0)).toEqual([60, 140, 200]);
    expect(scanFractions(100, 300, 0)).toEqual([
      Math.floor((100 * 901) / 601),
      Math.floor((100 * 901) / 301),
      Math.floor((100 * 901) / 601) + Math.floor((100 * 901) / 301),
    ]);
  });

  it('the proportional trim stops the smaller type and cuts the larger to its share', () => {
    const nr = [10, 0, 50, 0];
    expect(proportionalTrim(nr, [40, 0, 100, 0])).toBe(true);
    expect(nr[0]).toBe(0); // anon had less left: stopped
    expect(nr[2]).toBe(Math.floor((100 * (100 - Math.floor((10 * 100) / 41))) / 100) - 50);
    expect(proportionalTrim([0, 0, 5, 0], [0, 0, 5, 0])).toBe(false);
  });

  it("prepare_scan_control decides deactivation from the target's subtree, not each memcg's own lists", () => {
    const ctx = machine('reparent');
    const a = mkdir(ctx, 2, 'a');
    const b = mkdir(ctx, 2, 'b');
    for (let i = 0; i < 100; i++) {
      readPage(ctx, a, key(i));
      readPage(ctx, a, key(i));
    } // a: all active
    for (let i = 0; i < 10; i++) readPage(ctx, b, key(500 + i)); // b: all inactive
    const sc = newScanControl(2, 32, RECLAIMER_DIRECT, 60);
    prepareScanControl(ctx.s, sc);
    expect(sc.mayDeactivate & DEACTIVATE_FILE).toBeTruthy(); // /s: 10 inactive vs 100 active
    const scB = newScanControl(b, 32, RECLAIMER_DIRECT, 60);
    prepareScanControl(ctx.s, scB);
    expect(scB.mayDeactivate & DEACTIVATE_FILE).toBeFalsy();
    ctx.emit(E.snapshotRefaults(b));
    expect(lruvecOf(ctx.s.memcgs.get(b)!, 0).size[LRU_ACTIVE_FILE]).toBe(0);
  });
});

describe('reclaim that can fail (shrink_folio_list)', () => {
  it('folio_check_references: the classic and MGLRU tables', () => {
    const f = (o: object) => ({ mapped: false, young: false, referenced: false, workingset: false, file: true, ...o }) as never;
    const classic = { mglru: false } as never;
    expect(folioCheckReferences(classic, f({ mapped: true, young: true }))).toBe(FOLIOREF_KEEP);
    expect(folioCheckReferences(classic, f({ mapped: true, young: true, referenced: true }))).toBe(FOLIOREF_ACTIVATE);
    expect(folioCheckReferences(classic, f({ referenced: true }))).toBe(FOLIOREF_RECLAIM_CLEAN);
    expect(folioCheckReferences(classic, f({ referenced: true, file: false }))).toBe(FOLIOREF_RECLAIM);
    const mglru = { mglru: true } as never;
    expect(folioCheckReferences(mglru, f({ mapped: true, young: true }))).toBe(FOLIOREF_KEEP);
    expect(folioCheckReferences(mglru, f({ mapped: true, young: true, workingset: true }))).toBe(FOLIOREF_ACTIVATE);
    expect(folioCheckReferences(mglru, f({ referenced: true }))).toBe(FOLIOREF_RECLAIM);
  });

  it('a mapped folio with a young PTE is scanned but kept (PG_referenced); seen again without one it is unmapped and reclaimed', () => {
    const ctx = machine('reparent');
    const m = mkdir(ctx, 2, 'j');
    const id = ctx.s.nextFolio;
    ctx.emit(E.charge(id, m, FOLIO_FILE | FOLIO_MAPPED, key(0)));
    const from = ctx.log.length;
    tryToFreePages(ctx, m, 32);
    const mine = ctx.log
      .slice(from)
      .filter((e) => e.folio === id)
      .map((e) => `${EVENT_NAMES[e.type]}${EVENT_NAMES[e.type] === 'putback' ? e.a : ''}`);
    expect(mine).toEqual(['putback1', 'folio_unmap', 'evict']); // KEEP at one priority, RECLAIM_CLEAN at the next
    const mv = ctx.s.memcgs.get(m)!;
    expect([mv.stat[Stat.pgscan], mv.stat[Stat.pgsteal]]).toEqual([2, 1]);
  });

  it('a dirty file folio gets PG_reclaim and is activated, not stolen; at writeback end it rotates to the inactive tail and goes next', () => {
    const ctx = machine('reparent');
    ctx.emit(E.sysctl(SYSCTL_WRITEBACK_TICKS, 50));
    ctx.emit(E.sysctl(SYSCTL_IO_TICKS, 5));
    const m = mkdir(ctx, 2, 'j');
    for (let i = 0; i < 4; i++) writePage(ctx, m, key(i, 2), true);
    readPage(ctx, m, key(0)); // one clean page, newer
    const dirty = [...ctx.s.dirtyQueue.keys()];
    const from = ctx.log.length;
    tryToFreePages(ctx, m, 32);
    for (const id of dirty) {
      const mine = ctx.log
        .slice(from)
        .filter((e) => e.folio === id)
        .map((e) => EVENT_NAMES[e.type]);
      expect(mine).toContain('putback'); // PG_reclaim + activate (dirty, or under writeback once the flusher started), no evict
      expect(mine).not.toContain('evict');
      expect(ctx.s.folios.get(id)!.reclaim).toBe(true);
    }
    // every folio taken was dirty and unqueued: wakeup_flusher_threads() started their writeback
    expect(ctx.s.folios.get(dirty[0])!.writeback).toBe(true);
    for (let t = 0; t < 10; t++) ctx.advance();
    ctx.emit(E.cycle(2));
    runBackgroundWriteback(ctx); // I/O done: folio_rotate_reclaimable
    const lv = lruvecOf(ctx.s.memcgs.get(m)!, 0);
    expect(lv.lists[LRU_INACTIVE_FILE].tail!.id).toBe(dirty[dirty.length - 1]);
    expect(ctx.s.folios.get(dirty[0])!.active).toBe(false);
    const before = ctx.s.memcgs.get(m)!.stat[Stat.pgsteal];
    tryToFreePages(ctx, m, 1);
    expect(ctx.s.memcgs.get(m)!.stat[Stat.pgsteal] - before).toBeGreaterThanOrEqual(dirty.length);
    expect(ctx.s.folios.has(dirty[0])).toBe(false);
  });

  it('swap: anon is written out, the entry holds the memcg ID, and the memcg stays dying (even with reparenting) until the entry is freed', () => {
    const ctx = machine('reparent');
    ctx.emit(E.sysctl(SYSCTL_SWAP_PAGES, 100));
    ctx.emit(E.sysctl(SYSCTL_IO_TICKS, 1));
    const m = mkdir(ctx, 2, 'j');
    ctx.emit(E.jobStart(m, 1));
    const anon = [faultAnon(ctx, m), faultAnon(ctx, m)];
    for (let r = 0; r < 3; r++) {
      tryToFreePages(ctx, m, 32);
      ctx.advance();
      ctx.emit(E.cycle(r));
      runBackgroundWriteback(ctx);
    }
    expect(ctx.s.swapEntries.size).toBe(2);
    expect(ctx.s.folios.has(anon[0])).toBe(false); // swapped out and freed from memory
    const mv = ctx.s.memcgs.get(m)!;
    expect([mv.swap, mv.idRef, mv.stat[Stat.pswpout]]).toEqual([2, 3, 2]);
    // a job that leaves its swap entries behind (think tmpfs) keeps the memcg dying
    ctx.emit(E.jobExit(m, 1));
    rmdir(ctx, m);
    expect(ctx.s.memcgs.get(m)!.state).toBe(MEMCG_DYING);
    for (const f of anon) freeFolio(ctx, f);
    expect(ctx.s.memcgs.has(m)).toBe(false);
  });
});

describe('MGLRU shrink_one: memory.min / memory.low in global reclaim', () => {
  it('below min: never reclaimed (MEMCG_LRU_YOUNG); below low: rotated to the tail once, then reclaimed with MEMCG_LOW', () => {
    const ctx = new TestCtx(getPolicy('reparent'));
    ctx.emit(E.machine(100_000, MACHINE_OBJCG | MACHINE_MGLRU));
    ctx.emit(E.memcgCreate(2, ROOT_MEMCG, 's', 0));
    const a = mkdir(ctx, 2, 'a');
    const b = mkdir(ctx, 2, 'b');
    for (let i = 0; i < 200; i++) readPage(ctx, a, key(i));
    for (let i = 0; i < 200; i++) readPage(ctx, b, key(1000 + i));
    // protection reaches a and b only through /s (effective_protection, no memory_recursiveprot)
    for (const m of [2, a, b]) ctx.emit(E.limitSet(m, LIMIT_MIN, 100_000));
    const before = ctx.s.memcgs.get(2)!.memory;
    for (let k = 0; k < 5; k++) tryToFreePages(ctx, ROOT_MEMCG, 32);
    expect(ctx.s.memcgs.get(2)!.memory).toBe(before);
    for (const m of [2, a, b]) ctx.emit(E.limitSet(m, LIMIT_MIN, 0));
    for (const m of [2, a, b]) ctx.emit(E.limitSet(m, LIMIT_LOW, 100_000));
    const from = ctx.log.length;
    for (let k = 0; k < 40 && ctx.s.memcgs.get(2)!.events[MEMCG_LOW] === 0; k++) tryToFreePages(ctx, ROOT_MEMCG, 32);
    const rotations = ctx.log.slice(from).filter((e) => EVENT_NAMES[e.type] === 'memcg_lru_rotate' && e.a === MEMCG_LRU_TAIL);
    expect(rotations.length).toBeGreaterThan(0);
    expect(ctx.s.memcgs.get(2)!.events[MEMCG_LOW]).toBeGreaterThan(0);
  });
});
