import {
  DEF_PRIORITY,
  LRU_ACTIVE_ANON,
  LRU_INACTIVE_ANON,
  MAX_RECLAIM_RETRIES,
  ROOT_MEMCG,
  SWAP_CLUSTER_MAX,
} from '../../kernel/constants.js';
import { E, RECLAIMER_KSWAPD } from '../../kernel/events.js';
import { lruvecOf, nodeData } from '../../kernel/node.js';
import type { KernelView } from '../../kernel/state.js';
import { subtreeIds } from '../../kernel/tree.js';
import { WMARK_HIGH, watermarks, zoneFreePages } from '../../kernel/watermark.js';
import type { Ctx } from '../context.js';
import { inactiveIsLow, inactiveIsLowSizes } from '../reclaim_classic.js';
import type { Task } from '../tasks.js';
import { newScanControl, type ScanControl } from './scan_control.js';
import { canAgeAnonPages, shrinkActiveList } from './shrink_list.js';
import { shrinkNode } from './shrink_node.js';
import { shrinkShadows } from './shrink_slab.js';

/** pgdat_balanced(): node nid's zone is above its high watermark. */
export function pgdatBalanced(s: KernelView, nid = 0): boolean {
  return zoneFreePages(s, nid) > watermarks(s, nid)[WMARK_HIGH];
}

/**
 * wakeup_kswapd(): not if it is already awake, the node is hopeless (kswapd_failures >=
 * MAX_RECLAIM_RETRIES) or balanced.
 */
export function wakeupKswapd(ctx: Ctx, nid = 0): void {
  const pgdat = nodeData(ctx.s, nid);
  if (pgdat.kswapdAwake || pgdat.kswapdFailures >= MAX_RECLAIM_RETRIES || pgdatBalanced(ctx.s, nid)) return;
  ctx.emit(E.kswapdWake(nid));
}

/**
 * kswapd when woken. Inline (the default), each awake node's kswapd (kswapd0, kswapd1, …) runs to
 * completion right after the charge that woke it, before the workload's next step, balancing its
 * own node only. With machine.concurrency.kswapd it is a task of its own (KswapdTask): one
 * priority pass per step, so the workload (and the offline worker) run between its passes.
 */
export function runKswapdIfAwake(ctx: Ctx): void {
  for (let nid = 0; nid < ctx.s.nodes.length; nid++) {
    if (!nodeData(ctx.s, nid).kswapdAwake) continue;
    if (ctx.tasks?.opts.kswapd) ctx.tasks.kswapd(nid, () => new KswapdTask(nid));
    else balancePgdat(ctx, nid);
  }
}

/**
 * balance_pgdat() (order 0): priority passes from DEF_PRIORITY down to 1, each a full memcg walk
 * (kswapd passes no reclaim cookie) with nr_to_reclaim = max(high watermark, SWAP_CLUSTER_MAX)
 * (kswapd_shrink_node), until the node is balanced. The priority drops when a pass scanned less
 * than nr_to_reclaim or reclaimed nothing. A run that reclaimed nothing counts a kswapd failure.
 */
export function balancePgdat(ctx: Ctx, nid: number): void {
  const b = new Balance(ctx, nid);
  while (b.pass(ctx));
  b.end(ctx);
}

/** kswapd as a task (machine.concurrency.kswapd): balance_pgdat() one priority pass per step. */
export class KswapdTask implements Task {
  private b: Balance | null = null;

  constructor(readonly nid: number) {}

  step(ctx: Ctx): boolean {
    this.b ??= new Balance(ctx, this.nid);
    if (this.b.pass(ctx)) return false;
    this.b.end(ctx);
    return true;
  }
}

/** One balance_pgdat() call: its scan_control, between the passes of its priority loop. */
class Balance {
  private readonly sc: ScanControl;
  private balanced = false;

  constructor(
    ctx: Ctx,
    private readonly nid: number,
  ) {
    const nrToReclaim = Math.max(watermarks(ctx.s, nid)[WMARK_HIGH], SWAP_CLUSTER_MAX);
    this.sc = newScanControl(ROOT_MEMCG, nrToReclaim, RECLAIMER_KSWAPD, ctx.s.vm.swappiness);
    this.sc.nid = nid;
    ctx.emit(E.reclaimBegin(ROOT_MEMCG, nrToReclaim));
  }

  /** One pass of the priority loop; false when the loop is over (balanced, or priority 0). */
  pass(ctx: Ctx): boolean {
    const sc = this.sc;
    if (sc.priority < 1) return false;
    if (pgdatBalanced(ctx.s, this.nid)) {
      this.balanced = true;
      return false;
    }
    kswapdAgeNode(ctx, sc);
    sc.nrScanned = 0;
    const before = sc.nrReclaimed;
    shrinkNode(ctx, sc); // kswapd_shrink_node()
    const raisePriority = Math.max(sc.nrScanned, sc.nrReclaimed - before) < sc.nrToReclaim;
    if (raisePriority || sc.nrReclaimed === before) sc.priority--;
    return true;
  }

  end(ctx: Ctx): void {
    const sc = this.sc;
    if (!ctx.s.mglru) ctx.emit(E.snapshotRefaults(ROOT_MEMCG, this.nid));
    ctx.emit(E.reclaimEnd(ROOT_MEMCG, sc.lruvecsVisited, sc.nrReclaimed));
    shrinkShadows(ctx);
    ctx.emit(E.kswapdSleep(this.nid, !this.balanced && sc.nrReclaimed === 0));
  }
}

/**
 * kswapd_age_node(), classic: when the root's anon inactive list is low and anon can be aged,
 * deactivate SWAP_CLUSTER_MAX anon folios of every memcg (a full walk). MGLRU's
 * lru_gen_age_node() only checks min_ttl, which is not modelled.
 */
function kswapdAgeNode(ctx: Ctx, sc: ScanControl): void {
  if (ctx.s.mglru || !canAgeAnonPages(ctx.s)) return;
  let inactive = 0;
  let active = 0;
  for (const m of ctx.s.memcgs.values()) {
    inactive += lruvecOf(m, sc.nid).size[LRU_INACTIVE_ANON];
    active += lruvecOf(m, sc.nid).size[LRU_ACTIVE_ANON];
  }
  if (!inactiveIsLowSizes(inactive, active)) return; // inactive_is_low() of the root lruvec
  for (const id of subtreeIds(ctx.s, ROOT_MEMCG)) {
    const m = ctx.s.memcgs.get(id);
    if (m) shrinkActiveList(ctx, m, lruvecOf(m, sc.nid), LRU_ACTIVE_ANON, SWAP_CLUSTER_MAX, sc);
  }
}

export { DEF_PRIORITY, inactiveIsLow };
