import { lruGenIndex } from '../kernel/mmzone.js';
import { ANON_AND_FILE, MAX_NR_GENS } from '../kernel/constants.js';
import { E, encodeSplice, SPLICE_REWRITE_HEAD, SPLICE_REWRITE_TAIL, SPLICE_SAME_GEN } from '../kernel/events.js';
import { getNrGens, lruGenFromSeq } from '../kernel/lru_gen.js';
import { EVENT_NID, lruvecOf } from '../kernel/node.js';
import type { LruGenView } from '../kernel/state.js';
import { ageToMaxGens } from './aging_mglru.js';
import type { Ctx } from './context.js';

/**
 * memcg_reparent_objcgs() with MGLRU: age the parent to MAX_NR_GENS (max_lru_gen_memcg), take
 * both lruvec locks, recheck (someone may have evicted a gen meanwhile: unlock and retry), move
 * the child's generations as policyOptions.mglru says, re-point the objcgs, unlock.
 *   same-gen  — the series: each child gen spliced onto the parent gen of the same index; O(lists).
 *   tail      — every child folio into the parent's oldest gen, behind its folios ("assume colder").
 *   age-order — each child gen into the parent gen born at or before it (by timestamps).
 * The last two rewrite folio gens: a walk under the lock, counted in reparent_folios_walked.
 */
export function reparentLruGen(ctx: Ctx, child: number, parent: number): void {
  const c = ctx.s.memcgs.get(child)!;
  const p = ctx.s.memcgs.get(parent)!;
  for (;;) {
    ageToMaxGens(ctx, p, EVENT_NID);
    ctx.emit(E.reparentLocks(child, parent));
    if (recheckMaxGens(lruvecOf(p, EVENT_NID).lrugen)) break;
    ctx.emit(E.reparentUnlocks(child, parent, true));
  }
  const mode = ctx.policy.mglru;
  for (let type = 0; type < ANON_AND_FILE; type++) {
    const cg = lruvecOf(c, EVENT_NID).lrugen;
    const pg = lruvecOf(p, EVENT_NID).lrugen;
    const nr = getNrGens(cg, type);
    // youngest first for same-gen and tail (so the child's oldest ends up coldest), oldest first for age-order
    const order = [...Array(nr).keys()].map((i) => cg.maxSeq - i);
    if (mode === 'age-order') order.reverse();
    for (const seq of order) {
      const gen = lruGenFromSeq(seq);
      if (!cg.lists[lruGenIndex(gen, type)].count && !cg.nrPages[lruGenIndex(gen, type)]) continue;
      let b: number;
      if (mode === 'same-gen') b = encodeSplice(gen, type, gen, SPLICE_SAME_GEN);
      else if (mode === 'tail') b = encodeSplice(gen, type, lruGenFromSeq(pg.minSeq[type]), SPLICE_REWRITE_TAIL);
      else b = encodeSplice(gen, type, lruGenFromSeq(parentSeqByAge(pg, type, cg.timestamps[gen])), SPLICE_REWRITE_HEAD);
      ctx.emit(E.splice(child, parent, b));
    }
  }
  ctx.emit(E.objcgReparent(child, parent));
  ctx.emit(E.reparentUnlocks(child, parent));
}

/** recheck_lru_gen_max_memcg(): the parent still has MAX_NR_GENS for both types. */
function recheckMaxGens(g: LruGenView): boolean {
  for (let type = 0; type < ANON_AND_FILE; type++) if (getNrGens(g, type) !== MAX_NR_GENS) return false;
  return true;
}

/** The youngest parent seq born no later than `birth`; the oldest one if all are younger. */
export function parentSeqByAge(pg: LruGenView, type: number, birth: number): number {
  for (let seq = pg.maxSeq; seq > pg.minSeq[type]; seq--) {
    if (pg.timestamps[lruGenFromSeq(seq)] <= birth) return seq;
  }
  return pg.minSeq[type];
}

