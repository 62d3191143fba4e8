import { DEF_PRIORITY, ROOT_MEMCG, SWAP_CLUSTER_MAX } from '../../kernel/constants.js';
import { E, RECLAIMER_DIRECT, RECLAIMER_PROACTIVE } from '../../kernel/events.js';
import { zonelist } from '../../kernel/node.js';
import type { Ctx } from '../context.js';
import type { ReclaimOpts } from '../reclaim_opts.js';
import { newScanControl, type ScanControl } from './scan_control.js';
import { shrinkNode } from './shrink_node.js';

/**
 * try_to_free_pages() (target = root: global direct reclaim, nr_to_reclaim = SWAP_CLUSTER_MAX)
 * and try_to_free_mem_cgroup_pages() (memcg limit, high or memory.reclaim:
 * max(nr_pages, SWAP_CLUSTER_MAX), may_swap unless told otherwise). Returns pages reclaimed.
 */
export function tryToFreePagesFor(ctx: Ctx, target: number, nrPages: number, opts: ReclaimOpts = {}): number {
  const nrToReclaim = target === ROOT_MEMCG ? SWAP_CLUSTER_MAX : Math.max(nrPages, SWAP_CLUSTER_MAX);
  const reclaimer = opts.proactive ? RECLAIMER_PROACTIVE : RECLAIMER_DIRECT;
  const sc = newScanControl(target, nrToReclaim, reclaimer, opts.swappiness ?? ctx.s.vm.swappiness, opts.maySwap ?? true);
  ctx.emit(E.reclaimBegin(target, nrToReclaim));
  doTryToFreePages(ctx, sc, opts.preferredNid ?? 0);
  ctx.emit(E.reclaimEnd(target, sc.lruvecsVisited, sc.nrReclaimed));
  return sc.nrReclaimed;
}

/**
 * do_try_to_free_pages(): priorities DEF_PRIORITY → 0 over every node (shrink_zones →
 * shrink_node), stopping once nr_reclaimed >= nr_to_reclaim; snapshot_refaults() for the target
 * at the end (classic). With nothing reclaimed it retries from DEF_PRIORITY, in order: with a
 * full memcg walk (memcg_full_walk), then forcing deactivation if an active list was skipped
 * (force_deactivate), then reclaiming below memory.low if a memcg was skipped for it
 * (memcg_low_reclaim).
 */
export function doTryToFreePages(ctx: Ctx, sc: ScanControl, preferredNid = 0): void {
  const zl = zonelist(ctx.s, preferredNid);
  for (;;) {
    for (sc.priority = DEF_PRIORITY; sc.priority >= 0; sc.priority--) {
      sc.nrScanned = 0;
      for (const nid of zl) {
        sc.nid = nid;
        shrinkNode(ctx, sc);
      }
      if (sc.nrReclaimed >= sc.nrToReclaim) break;
      ctx.yieldPoint('reclaim'); // cond_resched() between passes: other CPUs' tasks run meanwhile
    }
    if (!ctx.s.mglru && ctx.s.memcgs.has(sc.target)) for (const nid of zl) ctx.emit(E.snapshotRefaults(sc.target, nid));
    if (sc.nrReclaimed || !nextRetry(sc)) return;
  }
}

/** The fallback retries of do_try_to_free_pages(), in the kernel's order; false = give up. */
export function nextRetry(sc: ScanControl): boolean {
  if (!sc.memcgFullWalk) {
    sc.memcgFullWalk = true;
    return true;
  }
  if (sc.skippedDeactivate) {
    sc.forceDeactivate = true;
    sc.skippedDeactivate = false;
    return true;
  }
  if (sc.memcgLowSkipped) {
    sc.forceDeactivate = false;
    sc.memcgLowReclaim = true;
    sc.memcgLowSkipped = false;
    return true;
  }
  return false;
}
