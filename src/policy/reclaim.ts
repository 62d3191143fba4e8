import type { Ctx } from './context.js';
import type { ReclaimOpts } from './reclaim_opts.js';
import { tryToFreePagesFor } from './vmscan/do_try_to_free_pages.js';
import { shrinkShadows } from './vmscan/shrink_slab.js';
import { reclaimThrottle } from './vmscan/throttle.js';

/**
 * Reclaim `nrToReclaim` pages for `target`: the root means global direct reclaim
 * (try_to_free_pages), any other memcg its limit reclaim (try_to_free_mem_cgroup_pages); see
 * vmscan/do_try_to_free_pages.ts. The shadow shrinker runs after it (shrink_slab); a call that
 * freed nothing waits for writeback (reclaim_throttle). The charge
 * path that calls it is in charge.ts (try_charge_memcg) and page_alloc.ts (__alloc_pages).
 */
export function tryToFreePages(ctx: Ctx, target: number, nrToReclaim: number, opts: ReclaimOpts = {}): number {
  const reclaimed = tryToFreePagesFor(ctx, target, nrToReclaim, opts);
  shrinkShadows(ctx);
  if (reclaimed === 0) reclaimThrottle(ctx);
  return reclaimed;
}

export { shrinkShadows };
