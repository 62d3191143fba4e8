import { ANON_AND_FILE, MAX_NR_GENS } from '../../kernel/constants.js';
import { E } from '../../kernel/events.js';
import { getNrGens, lruGenFromSeq } from '../../kernel/lru_gen.js';
import { lruGenIndex } from '../../kernel/mmzone.js';
import { lruvecOf } from '../../kernel/node.js';
import { SPLICE_NID_UNIT } from '../../kernel/reparent.js';
import type { LruGenView } from '../../kernel/state.js';
import { ageToMaxGens } from '../aging_mglru.js';
import type { Ctx } from '../context.js';
import { reparentObjcgs } from './objcgs.js';

/** Where an MGLRU mode puts each child generation: the part that differs between modes. */
export interface GenSplicePlan {
  /** walk the child's gens oldest first (default: youngest first, so the child's oldest lands coldest) */
  readonly oldestFirst?: boolean;
  /** the splice event's list word (encodeSplice) for child gen `gen` of `type` */
  target(cg: LruGenView, pg: LruGenView, gen: number, type: number): number;
}

/**
 * memcg_reparent_objcgs() with MGLRU (lru_gen_reparent_memcg), one node step (reparentObjcgs
 * takes the locks): age the parent to MAX_NR_GENS (max_lru_gen_memcg) before the locks, recheck
 * under them (someone may have evicted a gen meanwhile: unlock and retry), splice every non-empty
 * child gen where `plan` says; reparentObjcgs then re-points the objcgs and unlocks.
 */
export function reparentLruGen(ctx: Ctx, child: number, parent: number, plan: GenSplicePlan): void {
  const c = ctx.s.memcgs.get(child)!;
  const p = ctx.s.memcgs.get(parent)!;
  reparentObjcgs(ctx, child, parent, {
    prepare: (nid) => ageToMaxGens(ctx, p, nid),
    recheck: (nid) => recheckMaxGens(lruvecOf(p, nid).lrugen),
    splice(nid) {
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
      // the fix for the stale walk batch: lrugen->reparented, followed by lock_batch_lruvec()
      // (policyOptions.bug walk-batch-race: 7.1 as merged, whatever the switch says)
      const w = ctx.s.walk;
      const forward = ctx.policy.series.mglru_batch_forwarding && ctx.policy.bug !== 'walk-batch-race';
      if (forward && w && w.home === child && w.nid === nid) ctx.emit(E.walkForward(child, parent));
    },
  });
}

/** recheck_lru_gen_max_memcg(): the parent still has MAX_NR_GENS for both types. */
function recheckMaxGens(g: LruGenView): boolean {
  for (let type = 0; type < ANON_AND_FILE; type++) if (getNrGens(g, type) !== MAX_NR_GENS) return false;
  return true;
}
