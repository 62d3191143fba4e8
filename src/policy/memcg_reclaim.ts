import { MAX_RECLAIM_RETRIES, SWAP_CLUSTER_MAX } from '../kernel/constants.js';
import { E, RECLAIM_EAGAIN, RECLAIM_OK } from '../kernel/events.js';
import { MEMCG_ONLINE } from '../kernel/state.js';
import type { Ctx } from './context.js';
import { tryToFreePages } from './reclaim.js';
import type { ReclaimOpts } from './reclaim_opts.js';

/**
 * try_to_free_mem_cgroup_pages() (mm/vmscan.c): reclaim from `memcg`'s subtree, asking for
 * `.nr_to_reclaim = max(nr_pages, SWAP_CLUSTER_MAX)`. Returns the pages reclaimed.
 */
export function tryToFreeMemCgroupPages(ctx: Ctx, memcg: number, nrPages: number, opts: ReclaimOpts): number {
  return tryToFreePages(ctx, memcg, Math.max(nrPages, SWAP_CLUSTER_MAX), opts);
}

/**
 * A write of `nrToReclaim` pages to memory.reclaim: memory_reclaim() → user_proactive_reclaim()
 * (mm/vmscan.c since 6.17, mm/memcontrol.c before). Each pass asks for a quarter of what is left
 * (reclaim raises it to SWAP_CLUSTER_MAX); a pass that reclaims nothing uses up one of
 * MAX_RECLAIM_RETRIES, and with none left the write fails with -EAGAIN:
 *   `if (!reclaimed && !nr_retries--) return -EAGAIN;`
 * The write may over-reclaim. Returns whether it succeeded (0) rather than -EAGAIN. Only an online
 * memcg has the file (a removed cgroup's directory is gone), and rmdir waits for a write in
 * progress (kernfs_drain), so reclaim cannot free it meanwhile.
 */
export function memoryReclaim(ctx: Ctx, memcg: number, nrToReclaim: number, swappiness?: number): boolean {
  return runToEnd(memoryReclaimSteps(ctx, memcg, nrToReclaim, swappiness));
}

/**
 * memoryReclaim() one pass at a time: it yields after each pass, where a write running as a task
 * (machine.concurrency.memoryReclaim) lets the others run. Inline, the same passes in one go.
 */
export function* memoryReclaimSteps(ctx: Ctx, memcg: number, nrToReclaim: number, swappiness?: number): Generator<void, boolean> {
  if (ctx.s.memcgs.get(memcg)?.state !== MEMCG_ONLINE) throw new Error(`memory.reclaim of memcg ${memcg}, which is not online`);
  ctx.emit(E.memoryReclaim(memcg, nrToReclaim, swappiness ?? -1));
  let nrRetries = MAX_RECLAIM_RETRIES;
  let nrReclaimed = 0;
  while (nrReclaimed < nrToReclaim) {
    // "Will converge on zero, but reclaim enforces a minimum"
    const batch = Math.floor((nrToReclaim - nrReclaimed) / 4);
    // (!nr_retries: lru_add_drain_all(); the per-cpu LRU caches are not modelled)
    const reclaimed = tryToFreeMemCgroupPages(ctx, memcg, batch, { maySwap: true, proactive: true, swappiness });
    if (!reclaimed && !(nrRetries-- > 0)) {
      ctx.emit(E.memoryReclaimEnd(memcg, nrReclaimed, RECLAIM_EAGAIN));
      return false;
    }
    nrReclaimed += reclaimed;
    if (nrReclaimed < nrToReclaim) yield;
  }
  ctx.emit(E.memoryReclaimEnd(memcg, nrReclaimed, RECLAIM_OK));
  return true;
}

/** Run a stepwise kernel path to its end (inline) and return what it returns. */
export function runToEnd<T>(g: Generator<void, T>): T {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}
