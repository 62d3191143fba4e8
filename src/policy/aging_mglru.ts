import { LRU_GEN_ANON, LRU_GEN_FILE, MAX_NR_GENS, MIN_LRU_BATCH, MIN_NR_GENS } from '../kernel/constants.js';
import { E } from '../kernel/events.js';
import { getNrGens, lruGenFromSeq } from '../kernel/lru_gen.js';
import { lruGenIndex } from '../kernel/mmzone.js';
import { lruvecOf, withNid } from '../kernel/node.js';
import type { KernelView, LruGenView, MemcgView } from '../kernel/state.js';
import type { Ctx } from './context.js';
import type { ScanControl } from './vmscan/scan_control.js';
import { WalkTask, walkOn } from './vmscan/walk_task.js';

// MGLRU aging decisions (mm/vmscan.c). get_swappiness() decides which types are evictable: anon
// only with at least MIN_LRU_BATCH free swap slots and may_swap.

const MAX_SWAPPINESS = 200;

/** get_swappiness(): 0 without may_swap or with fewer than MIN_LRU_BATCH free swap slots, else sc_swappiness(). */
export function getSwappiness(s: KernelView, sc?: Pick<ScanControl, 'maySwap' | 'swappiness'>): number {
  if (sc && !sc.maySwap) return 0;
  if (s.vm.swapPages - s.swapEntries.size < MIN_LRU_BATCH) return 0;
  return sc ? sc.swappiness : s.vm.swappiness;
}

/** for_each_evictable_type(): anon unless swappiness is 0, file unless SWAPPINESS_ANON_ONLY. */
export function evictableTypes(swappiness: number): number[] {
  const out: number[] = [];
  if (swappiness) out.push(LRU_GEN_ANON);
  if (swappiness <= MAX_SWAPPINESS) out.push(LRU_GEN_FILE);
  return out;
}

/** evictable_min_seq(): the lowest min_seq over the evictable types. */
export function evictableMinSeq(g: LruGenView, swappiness = 0): number {
  return Math.min(...evictableTypes(swappiness).map((t) => g.minSeq[t]));
}

/** Bit mask of the types inc_min_seq() treats as evictable, as the age event carries it. */
export function evictableTypesAt(swappiness: number): number {
  return evictableTypes(swappiness).reduce((b, t) => b | (1 << t), 0);
}

/** inc_max_seq() of node nid's lruvec as one event; evolve does the inc_min_seq a type at MAX_NR_GENS needs first. */
export function incMaxSeq(ctx: Ctx, m: MemcgView, nid: number, swappiness = 0): void {
  ctx.emit(E.age(m.id, withNid(evictableTypesAt(swappiness), nid)));
}

/**
 * try_to_inc_max_seq(): with tasks in the memcg, the page-table walk first promotes folios whose
 * PTEs are young (folio_update_gen to max_seq's gen); a memcg without an mm (dying) ages without
 * a walk, as iterate_mm_list_nowalk does.
 */
export function tryToIncMaxSeq(ctx: Ctx, m: MemcgView, nid: number, seq: number, swappiness = 0): boolean {
  const g = lruvecOf(m, nid).lrugen;
  if (seq !== g.maxSeq) return false;
  // one walker at a time: while it runs, other reclaimers do not age (the mm_state is taken)
  if (ctx.s.walk) return false;
  if (m.nrTasks > 0) {
    const young: number[] = [];
    for (let gen = 0; gen < MAX_NR_GENS; gen++) {
      for (const type of [LRU_GEN_ANON, LRU_GEN_FILE]) {
        for (let f = g.lists[lruGenIndex(gen, type)].head; f; f = f.next) if (f.mapped && f.young) young.push(f.id);
      }
    }
    const newGen = lruGenFromSeq(g.maxSeq);
    if (ctx.tasks?.opts.agingWalk && young.length) {
      WalkTask.spawn(ctx, m, nid, newGen, young, swappiness);
      return false;
    }
    for (const id of young) ctx.emit(E.genUpdate(id, newGen));
  }
  incMaxSeq(ctx, m, nid, swappiness);
  return true;
}

/**
 * try_to_inc_min_seq(): count the evictable type's empty oldest gens (while min_seq +
 * MIN_NR_GENS <= max_seq), then advance min_seq past them in one step, with one
 * reset_ctrl_pos() for the type (not one per skipped gen). Returns whether min_seq moved.
 */
export function tryToIncMinSeq(ctx: Ctx, m: MemcgView, nid: number, swappiness = 0): boolean {
  const g = lruvecOf(m, nid).lrugen;
  const minSeq = [...g.minSeq];
  for (const type of evictableTypes(swappiness)) minSeq[type] += emptyOldestGens(g, type);
  // see the comment on lru_gen_folio: with both types evictable, neither runs ahead of max_seq - MIN_NR_GENS alone
  if (swappiness && swappiness <= MAX_SWAPPINESS) {
    const seq = g.maxSeq - MIN_NR_GENS;
    if (minSeq[LRU_GEN_ANON] > seq && minSeq[LRU_GEN_FILE] < seq) minSeq[LRU_GEN_ANON] = seq;
    else if (minSeq[LRU_GEN_FILE] > seq && minSeq[LRU_GEN_ANON] < seq) minSeq[LRU_GEN_FILE] = seq;
  }
  let moved = false;
  for (const type of evictableTypes(swappiness)) {
    if (minSeq[type] <= g.minSeq[type]) continue;
    ctx.emit(E.incMinSeq(m.id, withNid(type, nid), minSeq[type] - g.minSeq[type]));
    moved = true;
  }
  return moved;
}

/** How many of a type's oldest gens are empty and may go (min_seq + MIN_NR_GENS <= max_seq). */
export function emptyOldestGens(g: LruGenView, type: number): number {
  let seq = g.minSeq[type];
  while (seq + MIN_NR_GENS <= g.maxSeq && !g.lists[lruGenIndex(lruGenFromSeq(seq), type)].count) seq++;
  return seq - g.minSeq[type];
}

/**
 * should_run_aging(): must age when fewer than MIN_NR_GENS + 1 evictable gens are left; "better
 * to age" at exactly that many. nr_to_scan is every evictable page in the window.
 */
export function shouldRunAging(g: LruGenView, swappiness = 0): { age: boolean; nrToScan: number } {
  const minSeq = evictableMinSeq(g, swappiness);
  if (minSeq + MIN_NR_GENS > g.maxSeq) return { age: true, nrToScan: 0 };
  return { age: minSeq + MIN_NR_GENS === g.maxSeq, nrToScan: evictablePages(g, swappiness) };
}

/** Pages in the evictable types' gens, min_seq[type] to max_seq (max(nr_pages, 0) each). */
export function evictablePages(g: LruGenView, swappiness = 0): number {
  let total = 0;
  for (const type of evictableTypes(swappiness)) {
    for (let seq = g.minSeq[type]; seq <= g.maxSeq; seq++) total += Math.max(g.nrPages[lruGenIndex(lruGenFromSeq(seq), type)], 0);
  }
  return total;
}

/**
 * max_lru_gen_memcg() (v6 26/33): try_to_inc_max_seq_nowalk() with mem_cgroup_swappiness() — the
 * global vm.swappiness under cgroup v2, with no may_swap or free-swap check — until both types
 * have MAX_NR_GENS gens. At swappiness > 0 the anon type is evictable for the inc_min_seq() of a
 * type at MAX_NR_GENS, so its oldest folios move up instead of being left behind.
 */
export function ageToMaxGens(ctx: Ctx, m: MemcgView, nid: number): void {
  const g = lruvecOf(m, nid).lrugen;
  // iterate_mm_list_nowalk() fails while a walker holds the lruvec's mm_state: wait for it
  if (walkOn(ctx, m.id, nid)) ctx.tasks!.drain(ctx);
  const types = evictableTypesAt(ctx.s.vm.swappiness);
  while (getNrGens(g, LRU_GEN_ANON) < MAX_NR_GENS || getNrGens(g, LRU_GEN_FILE) < MAX_NR_GENS) ctx.emit(E.age(m.id, withNid(types, nid)));
}
