import { MAX_RECLAIM_RETRIES, ROOT_MEMCG } from '../kernel/constants.js';
import { watermarks, zoneFreePages } from '../kernel/watermark.js';
import type { Ctx } from './context.js';
import { tryToFreePages } from './reclaim.js';
import { wakeupKswapd } from './vmscan/kswapd.js';

/**
 * __alloc_pages() of one order-0 page, before it is charged (mm/page_alloc.c): the fast path
 * takes it while free > the low watermark; otherwise kswapd is woken and the slow path takes it
 * while free > min; below that the allocating task reclaims itself (__alloc_pages_direct_reclaim
 * → try_to_free_pages, SWAP_CLUSTER_MAX at a time) until free > min or MAX_RECLAIM_RETRIES
 * rounds make no progress (should_reclaim_retry). The global OOM killer is not modelled here: the
 * page is then taken below min, and a machine that is really full stops the run in the charge.
 */
export function allocPage(ctx: Ctx): void {
  if (!ctx.s.memoryPages) return;
  const [min, low] = watermarks(ctx.s);
  if (zoneFreePages(ctx.s) > low) return;
  wakeupKswapd(ctx);
  let noProgress = 0;
  while (zoneFreePages(ctx.s) <= min && noProgress <= MAX_RECLAIM_RETRIES) {
    if (tryToFreePages(ctx, ROOT_MEMCG, 1) > 0) noProgress = 0;
    else noProgress++;
  }
}
