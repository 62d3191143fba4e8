import { DEF_PRIORITY, ROOT_MEMCG } from '../kernel/constants.js';
import { E } from '../kernel/events.js';
import { nrNodes } from '../kernel/node.js';
import { subtreeIds } from '../kernel/tree.js';
import type { Ctx } from './context.js';
import { shrinkLruvecClassic, type ScanControl } from './reclaim_classic.js';
import { shrinkMany, tryToShrinkLruvec } from './reclaim_mglru.js';
import type { ReclaimOpts } from './reclaim_opts.js';

/**
 * do_try_to_free_pages(): at each priority from DEF_PRIORITY down, shrink every node
 * (shrink_zones → shrink_node).
 */
export function tryToFreePages(ctx: Ctx, target: number, nrToReclaim: number, _opts: ReclaimOpts = {}): number {
  ctx.emit(E.reclaimBegin(target, nrToReclaim));
  const rootReclaim = target === ROOT_MEMCG;
  const sc: ScanControl = { target, nrToReclaim, nrReclaimed: 0, priority: DEF_PRIORITY, lruvecsVisited: 0, rootReclaim, nid: 0 };
  for (let prio = DEF_PRIORITY; prio >= 0 && sc.nrReclaimed < nrToReclaim; prio--) {
    sc.priority = prio;
    for (let nid = 0; nid < nrNodes(ctx.s); nid++) {
      sc.nid = nid;
      shrinkNode(ctx, sc);
    }
  }
  shrinkShadows(ctx);
  ctx.emit(E.reclaimEnd(target, sc.lruvecsVisited, sc.nrReclaimed));
  return sc.nrReclaimed;
}

/**
 * shrink_node() of node sc.nid. Classic (shrink_node_memcgs): walk every live memcg under the
 * target (mem_cgroup_iter visits dying ones too); global reclaim walks the whole tree every round,
 * limit reclaim stops once it has enough. MGLRU: global reclaim walks the node's memcg LRU
 * (lru_gen_shrink_node → shrink_many); limit reclaim walks the subtree with lru_gen_shrink_lruvec.
 */
function shrinkNode(ctx: Ctx, sc: ScanControl): void {
  if (ctx.s.mglru && sc.rootReclaim) return shrinkMany(ctx, sc);
  for (const id of subtreeIds(ctx.s, sc.target)) {
    const m = ctx.s.memcgs.get(id);
    if (!m) continue; // freed earlier in this round
    sc.lruvecsVisited++;
    if (ctx.s.mglru) tryToShrinkLruvec(ctx, m, sc);
    else shrinkLruvecClassic(ctx, m, sc);
    if (!sc.rootReclaim && sc.nrReclaimed >= sc.nrToReclaim) break;
  }
}

/**
 * The workingset shadow shrinker (count_shadow_nodes/shadow_lru_isolate), run from reclaim's
 * shrink_slab: shadow nodes are kept to 1/8 of the LRU pages, i.e. at most 8 shadow entries per
 * page at full node density. Nodes are not modelled: the oldest entries go first. Without it,
 * shadows of pages never read again would grow with the length of a run.
 */
export function shrinkShadows(ctx: Ctx): void {
  const root = ctx.s.memcgs.get(ROOT_MEMCG)!;
  const limit = Math.max(SHADOW_FLOOR, root.memory * 8);
  if (ctx.s.shadows.size > limit) ctx.emit(E.shadowReclaim(ctx.s.shadows.size - limit));
}

/** A few nodes' worth of shadows always survive, as with the kernel's small-cache case. */
const SHADOW_FLOOR = 64 * 8;
