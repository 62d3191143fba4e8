import { MAX_RECLAIM_RETRIES, MEMCG_CHARGE_BATCH, PAGE_ALLOC_COSTLY_ORDER, ROOT_MEMCG } from '../kernel/constants.js';
import { CHARGE_STOCKED, E } from '../kernel/events.js';
import { MEMCG_MAX } from '../kernel/memcg_events.js';
import { withNid } from '../kernel/node.js';
import type { KernelView, MemcgView } from '../kernel/state.js';
import { subtreeIds } from '../kernel/tree.js';
import type { Ctx } from './context.js';
import { memcgMemoryEvent } from './memcg_event.js';
import { tryToFreeMemCgroupPages } from './memcg_reclaim.js';
import { memCgroupMargin, memCgroupOom, taskIsDying } from './oom.js';
import { allocPage } from './page_alloc.js';

// Charging one page: the page allocator (page_alloc.ts: watermarks, kswapd, direct reclaim, global OOM), then
// try_charge_memcg() (mm/memcontrol.c) for the memcg limits. Every charge is one page (order 0).

/** What a charge needs: `null` for -ENOMEM, else the charge event's extra flags (CHARGE_STOCKED or 0) with the node the page came from (withNid). */
export type ChargeResult = number | null;

/**
 * Allocate and charge one page for a task in `memcg`: room on the machine (allocPage), then
 * try_charge_memcg(). The caller emits the charge event with the returned flags, and returns to
 * user space through memCgroupHandleOverHigh().
 */
export function chargePage(ctx: Ctx, memcg: number): ChargeResult {
  const nid = allocPage(ctx, memcg);
  if (nid < 0) return null;
  const charged = tryChargeMemcg(ctx, memcg);
  return charged === null ? null : withNid(charged, nid);
}

/**
 * page_counter_try_charge(&memcg->memory, nr_pages, &counter): the nearest memcg, from `memcg`
 * up, whose usage would exceed its memory.max (`mem_over_limit`), or 0 when the charge fits.
 * The root's counter has no limit.
 */
export function memOverLimit(s: KernelView, memcg: number, nrPages = 1): number {
  for (let x: MemcgView | undefined = s.memcgs.get(memcg); x && x.id !== ROOT_MEMCG; x = s.memcgs.get(x.parent)) {
    if (x.max >= 0 && x.memory + nrPages > x.max) return x.id;
  }
  return 0;
}

/**
 * try_charge_memcg(memcg, GFP_KERNEL, 1) [6.18]:
 * ```
 * retry: if (consume_stock(memcg, nr_pages)) return 0;
 *   if (page_counter_try_charge(&memcg->memory, batch, &counter)) goto done_restock;
 *   if (batch > nr_pages) { batch = nr_pages; goto retry; }
 *   __memcg_memory_event(mem_over_limit, MEMCG_MAX);            // every failing pass
 *   nr_reclaimed = try_to_free_mem_cgroup_pages(mem_over_limit, nr_pages, gfp, MAY_SWAP, NULL);
 *   if (mem_cgroup_margin(mem_over_limit) >= nr_pages) goto retry;
 *   if (!drained) { drain_all_stock(mem_over_limit); drained = true; goto retry; }
 *   if (nr_reclaimed && nr_pages <= (1 << PAGE_ALLOC_COSTLY_ORDER)) goto retry;
 *   if (nr_retries--) goto retry;
 *   if (passed_oom && task_is_dying()) goto nomem;
 *   if (mem_cgroup_oom(mem_over_limit, gfp, order)) { passed_oom = true; nr_retries = MAX_RECLAIM_RETRIES; goto retry; }
 * nomem: return -ENOMEM;
 * ```
 * done_restock refills the stock with `batch - nr_pages`, and notes the batch as the task's
 * memcg_nr_pages_over_high when the memcg or an ancestor is over memory.high. The root is not
 * charged through here (try_charge: a no-op for the root). Returns null for -ENOMEM.
 */
export function tryChargeMemcg(ctx: Ctx, memcg: number): ChargeResult {
  if (memcg === ROOT_MEMCG) return 0;
  const nrPages = 1;
  let batch = Math.max(MEMCG_CHARGE_BATCH, nrPages);
  let nrRetries = MAX_RECLAIM_RETRIES;
  let drained = false;
  let passedOom = false;
  for (;;) {
    if (consumeStock(ctx.s, memcg, nrPages)) return CHARGE_STOCKED;
    const over = memOverLimit(ctx.s, memcg, batch);
    if (over === 0) {
      doneRestock(ctx, memcg, batch, nrPages);
      return 0;
    }
    if (batch > nrPages) {
      batch = nrPages;
      continue;
    }
    memcgMemoryEvent(ctx, over, MEMCG_MAX);
    const nrReclaimed = tryToFreeMemCgroupPages(ctx, over, nrPages, { maySwap: true });
    if (memCgroupMargin(ctx.s, over) >= nrPages) continue;
    if (!drained) {
      drainAllStock(ctx, over);
      drained = true;
      continue;
    }
    if (nrReclaimed && nrPages <= 1 << PAGE_ALLOC_COSTLY_ORDER) continue;
    if (nrRetries-- > 0) continue;
    if (passedOom && taskIsDying(ctx.s, memcg)) return null;
    if (memCgroupOom(ctx, over, memcg)) {
      passedOom = true;
      nrRetries = MAX_RECLAIM_RETRIES;
      continue;
    }
    return null;
  }
}

/** consume_stock(): the stock caches this memcg and holds enough pages. */
function consumeStock(s: KernelView, memcg: number, nrPages: number): boolean {
  return s.memcgs.get(memcg)!.stock >= nrPages;
}

/**
 * done_restock: `if (batch > nr_pages) refill_stock(memcg, batch - nr_pages);` then, for the
 * memcg and each ancestor until one is over memory.high,
 * `current->memcg_nr_pages_over_high += batch; set_notify_resume(current); break;`.
 * The synchronous handling (`memcg_nr_pages_over_high > MEMCG_CHARGE_BATCH`) never triggers
 * here: every modelled charge is followed by its return to user space, which handles it.
 * The folio's own page is counted by its charge event, right after.
 */
function doneRestock(ctx: Ctx, memcg: number, batch: number, nrPages: number): void {
  if (batch > nrPages) ctx.emit(E.memcgStock(memcg, batch - nrPages));
  for (let x = ctx.s.memcgs.get(memcg); x && x.id !== ROOT_MEMCG; x = ctx.s.memcgs.get(x.parent)) {
    if (x.high >= 0 && x.memory + nrPages > x.high) {
      ctx.emit(E.memcgOverHigh(memcg, batch));
      break;
    }
  }
}

/** drain_all_stock(root_memcg): every stock caching a memcg of the subtree is uncharged. */
export function drainAllStock(ctx: Ctx, root: number): void {
  for (const id of subtreeIds(ctx.s, root)) {
    const stock = ctx.s.memcgs.get(id)!.stock;
    if (stock > 0) ctx.emit(E.memcgStock(id, -stock));
  }
}
