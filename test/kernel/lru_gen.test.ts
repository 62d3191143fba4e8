import { describe, expect, it } from 'vitest';
import {
  LRU_ACTIVE_ANON,
  LRU_ACTIVE_FILE,
  LRU_GEN_ANON,
  LRU_GEN_FILE,
  LRU_INACTIVE_ANON,
  LRU_INACTIVE_FILE,
  MAX_NR_GENS,
  ROOT_MEMCG,
} from '../../src/kernel/constants.js';
import {
  E,
  EventType,
  encodeSplice,
  FOLIO_ACTIVE,
  FOLIO_FILE,
  FOLIO_MAPPED,
  FOLIO_WORKINGSET,
  MACHINE_MGLRU,
  MACHINE_OBJCG,
  SORT_PROMOTED,
  SPLICE_SAME_GEN,
} from '../../src/kernel/events.js';
import { checkInvariants } from '../../src/kernel/invariants.js';
import { getNrGens, lruGenFromSeq } from '../../src/kernel/lru_gen.js';
import { MEMCG_LRU_OLD } from '../../src/kernel/memcg_lru.js';
import { lruGenIndex } from '../../src/kernel/mmzone.js';
import { lruvecOf } from '../../src/kernel/node.js';
import { type KernelState, pageCacheKey } from '../../src/kernel/state.js';
import { shouldRunAging, tryToIncMaxSeq } from '../../src/policy/aging_mglru.js';
import { rmdir } from '../../src/policy/cgroup.js';
import { getPolicy } from '../../src/policy/policies.js';
import type { ScanControl } from '../../src/policy/reclaim_classic.js';
import { evictFolios, getNrToScan } from '../../src/policy/reclaim_mglru.js';
import { newScanControl } from '../../src/policy/vmscan/scan_control.js';
import { applyAll, TestCtx } from '../helpers.js';

const key = (i: number) => pageCacheKey(1, i);
const sc = (priority = 12): ScanControl => ({ ...newScanControl(ROOT_MEMCG, 32, 0, 0), priority });

function mglru(objcg = false): KernelState {
  return applyAll([
    E.machine(10_000, MACHINE_MGLRU | (objcg ? MACHINE_OBJCG : 0)),
    E.memcgCreate(2, ROOT_MEMCG, 'system.slice'),
    E.memcgCreate(3, 2, 'job@1.service'),
  ]);
}

function ctxOn(policy = 'legacy', mode: 'same-gen' | 'tail' | 'age-order' = 'same-gen'): TestCtx {
  const ctx = new TestCtx(getPolicy(policy, mode));
  ctx.emit(E.machine(10_000, MACHINE_MGLRU | (ctx.policy.objcgCharging ? MACHINE_OBJCG : 0)));
  ctx.emit(E.memcgCreate(2, ROOT_MEMCG, 'system.slice'));
  ctx.emit(E.memcgCreate(3, 2, 'job@1.service'));
  return ctx;
}

describe('MGLRU: lruvec init and insertion (lru_gen_folio_seq, 6.19-rc)', () => {
  it('a new lruvec has max_seq 3, min_seq 0: MAX_NR_GENS generations', () => {
    const g = lruvecOf(mglru().memcgs.get(3)!, 0).lrugen;
    expect(g.maxSeq).toBe(3);
    expect(g.minSeq).toEqual([0, 0]);
    expect(getNrGens(g, LRU_GEN_FILE)).toBe(MAX_NR_GENS);
  });

  it('file → max_seq-3, workingset file → max_seq-2, faulted (PG_active) anon → max_seq-1, PG_active cleared', () => {
    const s = applyAll(
      [
        E.charge(1, 3, FOLIO_FILE, key(0)),
        E.charge(2, 3, FOLIO_FILE | FOLIO_WORKINGSET, key(1)),
        E.charge(3, 3, FOLIO_MAPPED | FOLIO_ACTIVE, 0),
        E.charge(4, 3, FOLIO_FILE | FOLIO_ACTIVE | FOLIO_WORKINGSET, key(2)),
      ],
      mglru(),
    );
    const gen = (id: number) => s.folios.get(id)!.gen;
    expect(gen(1)).toBe(lruGenFromSeq(0));
    expect(gen(2)).toBe(lruGenFromSeq(1));
    expect(gen(3)).toBe(lruGenFromSeq(2));
    expect(gen(4)).toBe(lruGenFromSeq(3));
    expect([...s.folios.values()].every((f) => !f.active)).toBe(true);
    const lv = lruvecOf(s.memcgs.get(3)!, 0);
    expect(lv.size[LRU_ACTIVE_ANON]).toBe(1); // gens of max_seq and max_seq-1 count as active
    expect(lv.size[LRU_INACTIVE_FILE]).toBe(2);
    expect(lv.size[LRU_ACTIVE_FILE]).toBe(1);
    expect(checkInvariants(s)).toEqual([]);
  });
});

describe('MGLRU: aging', () => {
  it('aging at MAX_NR_GENS first calls inc_min_seq, which moves the oldest evictable folios up', () => {
    const ctx = ctxOn();
    ctx.emit(E.charge(1, 3, FOLIO_FILE, key(0))); // seq 0 (oldest)
    ctx.emit(E.charge(2, 3, FOLIO_MAPPED | FOLIO_ACTIVE, 0)); // anon, seq 2
    const m = ctx.s.memcgs.get(3)!;
    tryToIncMaxSeq(ctx, m, 0, lruvecOf(m, 0).lrugen.maxSeq);
    const g = lruvecOf(m, 0).lrugen;
    expect(g.maxSeq).toBe(4);
    expect(g.minSeq).toEqual([1, 1]);
    expect(ctx.s.folios.get(1)!.gen).toBe(lruGenFromSeq(1)); // moved out of the dropped gen
    expect(g.timestamps[lruGenFromSeq(4)]).toBe(ctx.s.tick);
    // seq 2 (the anon) was active (max_seq-1 of 3); with max_seq 4 it is inactive
    expect(lruvecOf(m, 0).size[LRU_INACTIVE_ANON]).toBe(1);
    expect(lruvecOf(m, 0).size[LRU_ACTIVE_ANON]).toBe(0);
  });

  it('the walk promotes a young mapped folio only on the second chance, without moving it', () => {
    const ctx = ctxOn();
    ctx.emit(E.jobStart(3, 1));
    ctx.emit(E.charge(1, 3, FOLIO_MAPPED | FOLIO_ACTIVE, 0));
    const m = ctx.s.memcgs.get(3)!;
    const f = ctx.s.folios.get(1)!;
    const list = f.list;
    tryToIncMaxSeq(ctx, m, 0, lruvecOf(m, 0).lrugen.maxSeq); // young: first chance sets PG_referenced
    expect(f.gen).toBe(lruGenFromSeq(2));
    expect(f.referenced).toBe(true);
    ctx.emit(E.access(1)); // PTE young again
    tryToIncMaxSeq(ctx, m, 0, lruvecOf(m, 0).lrugen.maxSeq);
    expect(f.gen).toBe(lruGenFromSeq(4)); // promoted to the gen of max_seq as the walk saw it
    expect(f.list).toBe(list); // lazily: still on its old list
    expect(f.workingset).toBe(true);
  });
});

describe('MGLRU: eviction', () => {
  it('nothing is evicted with only MIN_NR_GENS generations; after aging the oldest gen is evicted', () => {
    const ctx = ctxOn();
    const m = ctx.s.memcgs.get(3)!;
    const g = lruvecOf(m, 0).lrugen;
    tryToIncMinSeqAll(ctx);
    expect(getNrGens(g, LRU_GEN_FILE)).toBe(2);
    for (let i = 0; i < 8; i++) ctx.emit(E.charge(i + 1, 3, FOLIO_FILE, key(i)));
    expect(shouldRunAging(g)).toEqual({ age: true, nrToScan: 0 });
    expect(evictFolios(ctx, m, 100, sc())).toBe(0);
    expect(ctx.s.folios.size).toBe(8);
    tryToIncMaxSeq(ctx, m, 0, g.maxSeq);
    expect(getNrGens(g, LRU_GEN_FILE)).toBe(3);
    const s0 = sc(0);
    // all 8 go; the emptied gen is dropped (try_to_inc_min_seq), leaving MIN_NR_GENS, so the
    // call reports 0 scanned to stop the caller until it ages again
    expect(evictFolios(ctx, m, 100, s0)).toBe(0);
    expect(s0.nrReclaimed).toBe(8);
    expect(getNrGens(g, LRU_GEN_FILE)).toBe(2);
    expect(m.stat[3]).toBe(8); // pgsteal
  });

  it('a dead memcg is scanned whole (get_nr_to_scan), an online one by size >> priority', () => {
    const ctx = ctxOn();
    for (let i = 0; i < 100; i++) ctx.emit(E.charge(i + 1, 3, FOLIO_FILE, key(i)));
    const m = ctx.s.memcgs.get(3)!;
    expect(getNrToScan(ctx, m, sc(12), 0)).toBe(0);
    expect(getNrToScan(ctx, m, sc(4), 0)).toBe(100 >> 4);
    ctx.emit(E.memcgOffline(3, 5));
    expect(getNrToScan(ctx, m, sc(12), 0)).toBe(100);
  });

  it('lazy sorting: a promoted folio keeps its list until sort_folio moves it; sizes follow the flags', () => {
    const ctx = ctxOn();
    ctx.emit(E.jobStart(3, 1));
    ctx.emit(E.charge(1, 3, FOLIO_FILE | FOLIO_WORKINGSET, key(0))); // seq 1
    ctx.emit(E.charge(2, 3, FOLIO_FILE, key(1))); // seq 0
    const m = ctx.s.memcgs.get(3)!;
    const g = lruvecOf(m, 0).lrugen;
    const f = ctx.s.folios.get(2)!;
    ctx.emit(E.genUpdate(2, 3)); // not referenced: only the second chance is recorded
    expect(f.gen).toBe(0);
    ctx.emit(E.genUpdate(2, 3));
    expect(f.gen).toBe(3);
    expect(f.list).toBe(lruGenIndex(0, LRU_GEN_FILE));
    expect(g.nrPages[lruGenIndex(3, 1)]).toBe(1);
    expect(g.nrPages[lruGenIndex(0, 1)]).toBe(0);
    expect(() => ctx.emit(E.sort(1, SORT_PROMOTED))).toThrow(/oldest gen/);
    ctx.emit(E.sort(2, SORT_PROMOTED));
    expect(f.list).toBe(lruGenIndex(3, LRU_GEN_FILE));
  });

  it('an evicted folio lazily promoted is deleted by its flags gen (lru_gen_del_folio trusts the flags)', () => {
    const ctx = ctxOn();
    ctx.emit(E.charge(1, 3, FOLIO_FILE, key(0)));
    ctx.emit(E.genUpdate(1, 0));
    ctx.emit(E.genUpdate(1, 2));
    ctx.emit(E.evict(1, ROOT_MEMCG, 3));
    expect(lruvecOf(ctx.s.memcgs.get(3)!, 0).lrugen.nrPages.every((n) => n === 0)).toBe(true);
  });
});

describe('MGLRU: reparenting', () => {
  function populated(mode: 'same-gen' | 'tail' | 'age-order') {
    const ctx = ctxOn('reparent', mode);
    ctx.emit(E.charge(1, 2, FOLIO_FILE, key(100))); // a parent folio
    for (let i = 0; i < 6; i++) ctx.emit(E.charge(i + 2, 3, FOLIO_FILE | (i % 2 ? FOLIO_WORKINGSET : 0), key(i)));
    ctx.emit(E.genUpdate(2, 0));
    ctx.emit(E.genUpdate(2, 2)); // mixed gens on one list: folio 2 sits on gen 0's list with flags gen 2
    return ctx;
  }

  it('same-gen: parent aged to MAX_NR_GENS, lists spliced by index, no folio walked, sizes right with mixed-gen lists', () => {
    const ctx = populated('same-gen');
    const parent = ctx.s.memcgs.get(2)!;
    const flagsBefore = [...ctx.s.folios.values()].map((f) => [f.id, f.gen]);
    const pagesBefore = parent.memory;
    const child = ctx.s.memcgs.get(3)!;
    const childPages = [...lruvecOf(child, 0).lrugen.nrPages];
    const parentPages = [...lruvecOf(parent, 0).lrugen.nrPages];
    rmdir(ctx, 3); // TestCtx checks every invariant after every event
    expect(getNrGens(lruvecOf(parent, 0).lrugen, LRU_GEN_FILE)).toBe(MAX_NR_GENS);
    expect([...ctx.s.folios.values()].map((f) => [f.id, f.gen])).toEqual(flagsBefore);
    expect(lruvecOf(parent, 0).lrugen.nrPages).toEqual(parentPages.map((n, i) => n + childPages[i]));
    expect(parent.memory).toBe(pagesBefore);
    expect(ctx.s.lab.reparentFoliosWalked).toBe(0);
    expect(ctx.s.lab.reparentSplices).toBeGreaterThan(0);
    expect(ctx.s.memcgs.has(3)).toBe(false);
  });

  it('same-gen on a parent with fewer gens: max_lru_gen_memcg ages it first (at most 2 seqs)', () => {
    const ctx = ctxOn('reparent');
    const parent = ctx.s.memcgs.get(2)!;
    tryToIncMinSeqAll(ctx, 2); // parent file down to 2 gens
    const before = lruvecOf(parent, 0).lrugen.maxSeq;
    rmdir(ctx, 3);
    expect(lruvecOf(parent, 0).lrugen.maxSeq - before).toBe(2);
    expect(getNrGens(lruvecOf(parent, 0).lrugen, LRU_GEN_FILE)).toBe(MAX_NR_GENS);
    expect(lruvecOf(parent, 0).lrugen.timestamps[lruGenFromSeq(lruvecOf(parent, 0).lrugen.maxSeq)]).toBe(ctx.s.tick);
  });

  it('a parent that loses a gen between aging and locking is aged again (recheck, unlock, retry)', () => {
    // Stand in for a concurrent reclaimer: right before the first reparent_locks, drop the
    // parent's empty oldest gens, as try_to_inc_min_seq on another CPU would.
    class RacingCtx extends TestCtx {
      raced = false;
      override emit(e: ReturnType<typeof E.age>): void {
        if (e.type === EventType.reparent_locks && !this.raced) {
          this.raced = true;
          tryToIncMinSeqAll(this, e.a);
        }
        super.emit(e);
      }
    }
    const ctx = new RacingCtx(getPolicy('reparent'));
    ctx.emit(E.machine(10_000, MACHINE_MGLRU | MACHINE_OBJCG));
    ctx.emit(E.memcgCreate(2, ROOT_MEMCG, 'system.slice'));
    ctx.emit(E.memcgCreate(3, 2, 'job@1.service'));
    ctx.emit(E.charge(1, 3, FOLIO_FILE, key(0)));
    rmdir(ctx, 3);
    expect(ctx.s.lab.reparentRetries).toBe(1);
    const g = lruvecOf(ctx.s.memcgs.get(2)!, 0).lrugen;
    expect(getNrGens(g, LRU_GEN_FILE)).toBe(MAX_NR_GENS);
    expect(ctx.s.folios.get(1)!.list).toBe(lruGenIndex(ctx.s.folios.get(1)!.gen, LRU_GEN_FILE));
    expect(ctx.log.filter((e) => e.type === EventType.reparent_locks)).toHaveLength(2);
  });

  it('tail and age-order rewrite folio gens and count every folio walked', () => {
    for (const mode of ['tail', 'age-order'] as const) {
      const ctx = populated(mode);
      rmdir(ctx, 3);
      expect(ctx.s.lab.reparentFoliosWalked).toBe(6);
      const parent = lruvecOf(ctx.s.memcgs.get(2)!, 0).lrugen;
      if (mode === 'tail') {
        for (let id = 2; id <= 7; id++) expect(ctx.s.folios.get(id)!.gen).toBe(lruGenFromSeq(parent.minSeq[LRU_GEN_FILE]));
        // behind the parent's own folio: evicted first
        expect(parent.lists[lruGenIndex(lruGenFromSeq(parent.minSeq[1]), 1)].head!.id).toBe(1);
      }
    }
  });

  it('an offline memcg moves to the head of the old gen of the memcg LRU (MEMCG_LRU_OLD)', () => {
    const ctx = ctxOn('legacy');
    ctx.emit(E.charge(1, 3, FOLIO_FILE, key(0)));
    ctx.emit(E.memcgOffline(3, 6));
    const lru = ctx.s.nodes[0].memcgLru;
    const old = lru.seq % 2;
    expect(lru.fifo[old * 8 + 6][0]).toBe(3);
    expect(MEMCG_LRU_OLD).toBe(3);
  });

  it('splice refuses a same-gen move onto another index, and any move without the locks', () => {
    const ctx = ctxOn('reparent');
    ctx.emit(E.charge(1, 3, FOLIO_FILE, key(0)));
    ctx.emit(E.memcgOffline(3, 0));
    expect(() => ctx.emit(E.splice(3, 2, encodeSplice(0, 1, 0, SPLICE_SAME_GEN)))).toThrow(/reparent_locks/);
    ctx.emit(E.reparentLocks(3, 2));
    expect(() => ctx.emit(E.splice(3, 2, encodeSplice(0, 1, 1, SPLICE_SAME_GEN)))).toThrow(/another gen/);
  });
});

/** try_to_inc_min_seq for the file type of every memcg (or one), while their oldest gens are empty. */
function tryToIncMinSeqAll(ctx: TestCtx, only?: number) {
  for (const m of [...ctx.s.memcgs.values()]) {
    if (only !== undefined && m.id !== only) continue;
    const g = lruvecOf(m, 0).lrugen;
    while (getNrGens(g, LRU_GEN_FILE) > 2 && !g.lists[lruGenIndex(lruGenFromSeq(g.minSeq[1]), 1)].count)
      ctx.emit(E.incMinSeq(m.id, LRU_GEN_FILE));
  }
}

void LRU_GEN_ANON;
