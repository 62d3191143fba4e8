import { lruGenIndex } from '../kernel/mmzone.js';
import { LRU_GEN_ANON, LRU_GEN_FILE, MAX_NR_GENS, MIN_NR_GENS } from '../kernel/constants.js';
import { E } from '../kernel/events.js';
import { getNrGens, lruGenFromSeq } from '../kernel/lru_gen.js';
import { lruvecOf } from '../kernel/node.js';
import type { LruGenView, MemcgView } from '../kernel/state.js';
import type { Ctx } from './context.js';

// MGLRU aging decisions (mm/vmscan.c). No swap is modelled, so get_swappiness() is 0: only the
// file type is evictable.

/** evictable_min_seq() with swappiness 0. */
export function evictableMinSeq(g: LruGenView): number {
  return g.minSeq[LRU_GEN_FILE];
}

/** Bit mask of the evictable types, as the age event carries it (swappiness 0: file only). */
export const EVICTABLE_TYPES = 1 << LRU_GEN_FILE;

/**
 * inc_max_seq(): one event; evolve does the inc_min_seq a type at MAX_NR_GENS needs first. The
 * event has no node column: it ages node EVENT_NID's lruvec (the only node).
 */
export function incMaxSeq(ctx: Ctx, m: MemcgView): void {
  ctx.emit(E.age(m.id, EVICTABLE_TYPES));
}

/**
 * try_to_inc_max_seq(): with tasks in the memcg, the page-table walk first promotes folios whose
 * PTEs are young (folio_update_gen to max_seq's gen); a memcg without an mm (dying) ages without
 * a walk, as iterate_mm_list_nowalk does.
 */
export function tryToIncMaxSeq(ctx: Ctx, m: MemcgView, nid: number, seq: number): boolean {
  const g = lruvecOf(m, nid).lrugen;
  if (seq !== g.maxSeq) return false;
  if (m.nrTasks > 0) {
    const young: number[] = [];
    for (let gen = 0; gen < MAX_NR_GENS; gen++) {
      for (const type of [LRU_GEN_ANON, LRU_GEN_FILE]) {
        for (let f = g.lists[lruGenIndex(gen, type)].head; f; f = f.next) if (f.mapped && f.young) young.push(f.id);
      }
    }
    const newGen = lruGenFromSeq(g.maxSeq);
    for (const id of young) ctx.emit(E.genUpdate(id, newGen));
  }
  incMaxSeq(ctx, m);
  return true;
}

/**
 * try_to_inc_min_seq(): skip the evictable type's empty oldest gens while at least MIN_NR_GENS
 * remain. Returns whether min_seq moved.
 */
export function tryToIncMinSeq(ctx: Ctx, m: MemcgView, nid: number): boolean {
  const g = lruvecOf(m, nid).lrugen;
  let moved = false;
  while (g.minSeq[LRU_GEN_FILE] + MIN_NR_GENS <= g.maxSeq && getNrGens(g, LRU_GEN_FILE) > MIN_NR_GENS) {
    if (g.lists[lruGenIndex(lruGenFromSeq(g.minSeq[LRU_GEN_FILE]), LRU_GEN_FILE)].count) break;
    ctx.emit(E.incMinSeq(m.id, LRU_GEN_FILE));
    moved = true;
  }
  return moved;
}

/**
 * should_run_aging(): must age when fewer than MIN_NR_GENS + 1 evictable gens are left; "better
 * to age" at exactly that many. nr_to_scan is every evictable page in the window.
 */
export function shouldRunAging(g: LruGenView): { age: boolean; nrToScan: number } {
  if (evictableMinSeq(g) + MIN_NR_GENS > g.maxSeq) return { age: true, nrToScan: 0 };
  let total = 0;
  for (let seq = g.minSeq[LRU_GEN_FILE]; seq <= g.maxSeq; seq++) {
    total += Math.max(g.nrPages[lruGenIndex(lruGenFromSeq(seq), LRU_GEN_FILE)], 0);
  }
  return { age: evictableMinSeq(g) + MIN_NR_GENS === g.maxSeq, nrToScan: total };
}

/** max_lru_gen_memcg(): age (without a walk) until both types have MAX_NR_GENS gens. */
export function ageToMaxGens(ctx: Ctx, m: MemcgView, nid: number): void {
  const g = lruvecOf(m, nid).lrugen;
  while (getNrGens(g, LRU_GEN_ANON) < MAX_NR_GENS || getNrGens(g, LRU_GEN_FILE) < MAX_NR_GENS) incMaxSeq(ctx, m);
}
