import { ROOT_MEMCG } from '../../kernel/constants.js';
import { E } from '../../kernel/events.js';
import type { Ctx } from '../context.js';

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
