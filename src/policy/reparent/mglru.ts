import { ANON_AND_FILE, MAX_NR_GENS } from '../../kernel/constants.js';
import { E } from '../../kernel/events.js';
import { getNrGens, lruGenFromSeq } from '../../kernel/lru_gen.js';
import { lruGenIndex } from '../../kernel/mmzone.js';
import { EVENT_NID, lruvecOf } from '../../kernel/node.js';
import type { LruGenView } from '../../kernel/state.js';
import { ageToMaxGens } from '../aging_mglru.js';
import type { Ctx } from '../context.js';

/** Where an MGLRU mode puts each child generation: the part that differs between modes. */
export interface GenSplicePlan {
  /** walk the child's gens oldest first (default: youngest first, so the child's oldest lands coldest) */
  readonly oldestFirst?: boolean;
  /** the splice event's list word (encodeSplice) for child gen `gen` of `type` */
  target(cg: LruGenView, pg: LruGenView, gen: number, type: number): number;
}

/**
 * memcg_reparent_objcgs() with MGLRU (lru_gen_reparent_memcg): age the parent to MAX_NR_GENS
 * (max_lru_gen_memcg), take both lruvec locks, recheck (someone may have evicted a gen meanwhile:
 * unlock and retry), splice every non-empty child gen where `plan` says, re-point the objcgs,
 * unlock.
 */
export function reparentLruGen(ctx: Ctx, child: number, parent: number, plan: GenSplicePlan): void {
  const c = ctx.s.memcgs.get(child)!;
  const p = ctx.s.memcgs.get(parent)!;
  for (;;) {
    ageToMaxGens(ctx, p, EVENT_NID);
    ctx.emit(E.reparentLocks(child, parent));
    if (recheckMaxGens(lruvecOf(p, EVENT_NID).lrugen)) break;
    ctx.emit(E.reparentUnlocks(child, parent, true));
  }
  const cg = lruvecOf(c, EVENT_NID).lrugen;
  const pg = lruvecOf(p, EVENT_NID).lrugen;
  for (let type = 0; type < ANON_AND_FILE; type++) {
    const order = [...Array(getNrGens(cg, type)).keys()].map((i) => cg.maxSeq - i);
    if (plan.oldestFirst) order.reverse();
    for (const seq of order) {
      const gen = lruGenFromSeq(seq);
      const i = lruGenIndex(gen, type);
      if (!cg.lists[i].count && !cg.nrPages[i]) continue;
      ctx.emit(E.splice(child, parent, plan.target(cg, pg, gen, type)));
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
