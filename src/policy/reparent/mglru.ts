import { ANON_AND_FILE, MAX_NR_GENS } from '../../kernel/constants.js';
import { E } from '../../kernel/events.js';
import { getNrGens, lruGenFromSeq } from '../../kernel/lru_gen.js';
import { lruGenIndex } from '../../kernel/mmzone.js';
import { lruvecOf, withNid } from '../../kernel/node.js';
import { SPLICE_NID_UNIT } from '../../kernel/reparent.js';
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
 * memcg_reparent_objcgs() with MGLRU (lru_gen_reparent_memcg), node by node as 7.1 does it
 * (for_each_node, notes §1.2): age the parent's node lruvec to MAX_NR_GENS (max_lru_gen_memcg,
 * no lock), take objcg_lock and both lruvec locks of the node, recheck (someone may have evicted
 * a gen meanwhile: unlock and retry), splice every non-empty child gen where `plan` says,
 * re-point the node's objcgs, unlock before the next node.
 */
export function reparentLruGen(ctx: Ctx, child: number, parent: number, plan: GenSplicePlan): void {
  for (let nid = 0; nid < ctx.s.nodes.length; nid++) reparentLruGenNode(ctx, child, parent, plan, nid);
}

/** One node of reparentLruGen. */
function reparentLruGenNode(ctx: Ctx, child: number, parent: number, plan: GenSplicePlan, nid: number): void {
  const c = ctx.s.memcgs.get(child)!;
  const p = ctx.s.memcgs.get(parent)!;
  for (;;) {
    ageToMaxGens(ctx, p, nid);
    ctx.emit(E.reparentLocks(child, parent, nid));
    if (recheckMaxGens(lruvecOf(p, nid).lrugen)) break;
    ctx.emit(E.reparentUnlocks(child, parent, withNid(1, nid)));
  }
  const cg = lruvecOf(c, nid).lrugen;
  const pg = lruvecOf(p, nid).lrugen;
  for (let type = 0; type < ANON_AND_FILE; type++) {
    const order = [...Array(getNrGens(cg, type)).keys()].map((i) => cg.maxSeq - i);
    if (plan.oldestFirst) order.reverse();
    for (const seq of order) {
      const gen = lruGenFromSeq(seq);
      const i = lruGenIndex(gen, type);
      if (!cg.lists[i].count && !cg.nrPages[i]) continue;
      ctx.emit(E.splice(child, parent, plan.target(cg, pg, gen, type) + nid * SPLICE_NID_UNIT));
    }
  }
  ctx.emit(E.objcgReparent(child, parent, nid));
  ctx.emit(E.reparentUnlocks(child, parent, withNid(0, nid)));
}

/** recheck_lru_gen_max_memcg(): the parent still has MAX_NR_GENS for both types. */
function recheckMaxGens(g: LruGenView): boolean {
  for (let type = 0; type < ANON_AND_FILE; type++) if (getNrGens(g, type) !== MAX_NR_GENS) return false;
  return true;
}
