import { MAX_RECLAIM_RETRIES, ROOT_MEMCG } from '../kernel/constants.js';
import { watermarks, zoneFreePages } from '../kernel/watermark.js';
import type { Ctx } from './context.js';
import { outOfMemory, taskIsDying } from './oom.js';
import { tryToFreePages } from './reclaim.js';
import { wakeupKswapd } from './vmscan/kswapd.js';

/**
 * __alloc_pages() of one order-0 page for a task in `memcg`, before it is charged
 * (mm/page_alloc.c): the fast path takes it while free > the low watermark; otherwise kswapd is
 * woken (wakeup_kswapd) and the slow path takes it while free > min; below that the allocating
 * task reclaims itself (__alloc_pages_direct_reclaim → try_to_free_pages) until free > min or
 * MAX_RECLAIM_RETRIES rounds make no progress (should_reclaim_retry). Then, with a page still
 * free, it is taken below min (the model has no atomic reserves to protect); with none,
 * __alloc_pages_may_oom() → out_of_memory() kills the task with the highest badness machine-wide
 * and the allocation retries. An OOM victim that still finds no room fails (`goto nopage`), as
 * does a machine with nothing left to kill: false means -ENOMEM.
 */
export function allocPage(ctx: Ctx, memcg: number): boolean {
  const s = ctx.s;
  if (!s.memoryPages) return true;
  const [min, low] = watermarks(s);
  if (zoneFreePages(s) > low) return true;
  wakeupKswapd(ctx);
  let noProgress = 0;
  while (zoneFreePages(s) <= min) {
    if (tryToFreePages(ctx, ROOT_MEMCG, 1) > 0) {
      noProgress = 0;
      continue;
    }
    if (++noProgress <= MAX_RECLAIM_RETRIES) continue;
    if (zoneFreePages(s) > 0) return true;
    if (taskIsDying(s, memcg)) return false;
    if (!outOfMemory(ctx, ROOT_MEMCG)) return false;
    noProgress = 0;
  }
  return true;
}
