import { MAX_RECLAIM_RETRIES, ROOT_MEMCG } from '../kernel/constants.js';
import { homeNid, zonelist } from '../kernel/node.js';
import type { KernelView } from '../kernel/state.js';
import { WMARK_LOW, WMARK_MIN, watermarks, zoneFreePages } from '../kernel/watermark.js';
import type { Ctx } from './context.js';
import { outOfMemory, taskIsDying } from './oom.js';
import { tryToFreePages } from './reclaim.js';
import { wakeupKswapd } from './vmscan/kswapd.js';

/**
 * The node a task in `memcg` asks for its next page (the mempolicy): `interleave` goes round-robin
 * over the nodes by folio id; otherwise the job's home node (homeNid).
 */
export function preferredNid(s: KernelView, memcg: number): number {
  if (s.nodes.length === 1) return 0;
  return s.interleave ? s.nextFolio % s.nodes.length : homeNid(s, memcg);
}

/** get_page_from_freelist(): the first node of the zonelist whose free pages are above its `mark`, or -1. */
function firstAbove(s: KernelView, zl: readonly number[], mark: number): number {
  for (const nid of zl) if (zoneFreePages(s, nid) > watermarks(s, nid)[mark]) return nid;
  return -1;
}

/**
 * __alloc_pages() of one order-0 page for a task in `memcg`, before it is charged
 * (mm/page_alloc.c), over the zonelist of the preferred node (that node first, then the others):
 * the fast path takes it from the first node above its low watermark; otherwise every node's
 * kswapd is woken (wake_all_kswapds) and the slow path takes it from the first node above min;
 * with none, the allocating task reclaims itself (__alloc_pages_direct_reclaim →
 * try_to_free_pages, every node, the preferred one first) until a node is above min or
 * MAX_RECLAIM_RETRIES rounds make no progress (should_reclaim_retry). Then, with a page still
 * free on some node, it is taken below min (the model has no atomic reserves to protect); with
 * none, __alloc_pages_may_oom() → out_of_memory() kills the task with the highest badness
 * machine-wide and the allocation retries. An OOM victim that still finds no room fails
 * (`goto nopage`), as does a machine with nothing left to kill. Returns the node the page comes
 * from, or -1 for -ENOMEM.
 */
export function allocPage(ctx: Ctx, memcg: number): number {
  const s = ctx.s;
  const preferred = preferredNid(s, memcg);
  if (!s.memoryPages) return preferred;
  const zl = zonelist(s, preferred);
  let nid = firstAbove(s, zl, WMARK_LOW);
  if (nid >= 0) return nid;
  for (const n of zl) wakeupKswapd(ctx, n);
  let noProgress = 0;
  for (;;) {
    nid = firstAbove(s, zl, WMARK_MIN);
    if (nid >= 0) return nid;
    if (tryToFreePages(ctx, ROOT_MEMCG, 1, { preferredNid: preferred }) > 0) {
      noProgress = 0;
      continue;
    }
    if (++noProgress <= MAX_RECLAIM_RETRIES) continue;
    const any = zl.find((n) => zoneFreePages(s, n) > 0);
    if (any !== undefined) return any;
    if (taskIsDying(s, memcg)) return -1;
    if (!outOfMemory(ctx, ROOT_MEMCG)) return -1;
    noProgress = 0;
  }
}
