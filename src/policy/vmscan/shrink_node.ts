import { LRU_ACTIVE_ANON, LRU_ACTIVE_FILE, LRU_INACTIVE_ANON, LRU_INACTIVE_FILE, ROOT_MEMCG } from '../../kernel/constants.js';
import { E } from '../../kernel/events.js';
import { lruvecOf, withNid } from '../../kernel/node.js';
import { Stat } from '../../kernel/stat.js';
import type { KernelView, MemcgView } from '../../kernel/state.js';
import { subtree, subtreeIds } from '../../kernel/tree.js';
import { WMARK_HIGH, watermarks, zoneFreePages } from '../../kernel/watermark.js';
import type { Ctx } from '../context.js';
import { MEMCG_LOW, memcgMemoryEvent } from '../memcg_event.js';
import { inactiveIsLowSizes, shrinkLruvecClassic } from '../reclaim_classic.js';
import { lruGenShrinkLruvec, lruGenShrinkNode } from '../reclaim_mglru.js';
import { belowLow, belowMin, calculateProtection, type Protection } from './protection.js';
import { DEACTIVATE_ANON, DEACTIVATE_FILE, isKswapd, type ScanControl } from './scan_control.js';

/**
 * shrink_node() of node sc.nid (mm/vmscan.c). MGLRU with a root target goes to
 * lru_gen_shrink_node() (the memcg LRU); everything else — classic, and MGLRU memcg reclaim —
 * is prepare_scan_control() then shrink_node_memcgs().
 */
export function shrinkNode(ctx: Ctx, sc: ScanControl): void {
  if (!ctx.s.memcgs.has(sc.target)) return; // a dying target released with its last page (the kernel's reclaimer pins it)
  if (ctx.s.mglru && sc.rootReclaim) return lruGenShrinkNode(ctx, sc);
  prepareScanControl(ctx.s, sc);
  shrinkNodeMemcgs(ctx, sc);
}

/** Sizes of the four evictable lists summed over a memcg's subtree (lruvec_page_state: hierarchical). */
export function subtreeLruSizes(s: KernelView, root: number, nid: number): number[] {
  const out = [0, 0, 0, 0];
  for (const m of subtree(s, root)) for (let l = 0; l < 4; l++) out[l] += lruvecOf(m, nid).size[l];
  return out;
}

/**
 * prepare_scan_control(): decided once per shrink_node() from the target's lruvec, whose stats
 * are hierarchical. Deactivate a type when its WORKINGSET_ACTIVATE count moved since the last
 * snapshot_refaults() or its inactive list is low (force_deactivate: both); cache_trim_mode when
 * there is inactive file at this priority and file needs no deactivation; file_is_tiny (global
 * reclaim only) when file + free pages fit under the high watermark. The costs are copied once
 * for every memcg of the walk.
 */
export function prepareScanControl(s: KernelView, sc: ScanControl): void {
  const target = s.memcgs.get(sc.target)!;
  const lv = lruvecOf(target, sc.nid);
  sc.anonCost = lv.anonCost;
  sc.fileCost = lv.fileCost;
  const size = subtreeLruSizes(s, sc.target, sc.nid);
  if (sc.forceDeactivate) sc.mayDeactivate = DEACTIVATE_ANON | DEACTIVATE_FILE;
  else {
    let anon = 0;
    let file = 0;
    for (const m of subtree(s, sc.target)) {
      anon += m.stat[Stat.workingset_activate_anon];
      file += m.stat[Stat.workingset_activate_file];
    }
    sc.mayDeactivate = 0;
    if (anon !== lv.refaults[0] || inactiveIsLowSizes(size[LRU_INACTIVE_ANON], size[LRU_ACTIVE_ANON])) sc.mayDeactivate |= DEACTIVATE_ANON;
    if (file !== lv.refaults[1] || inactiveIsLowSizes(size[LRU_INACTIVE_FILE], size[LRU_ACTIVE_FILE])) sc.mayDeactivate |= DEACTIVATE_FILE;
  }
  sc.cacheTrimMode = Math.floor(size[LRU_INACTIVE_FILE] / 2 ** sc.priority) > 0 && !(sc.mayDeactivate & DEACTIVATE_FILE);
  sc.fileIsTiny = false;
  if (sc.rootReclaim) {
    const file = size[LRU_INACTIVE_FILE] + size[LRU_ACTIVE_FILE];
    sc.fileIsTiny =
      file + zoneFreePages(s, sc.nid) <= watermarks(s, sc.nid)[WMARK_HIGH] &&
      !(sc.mayDeactivate & DEACTIVATE_ANON) &&
      Math.floor(size[LRU_INACTIVE_ANON] / 2 ** sc.priority) > 0;
  }
}

/**
 * shrink_node_memcgs() with mem_cgroup_iter(): every reclaimer but kswapd (and the
 * memcg_full_walk retry) passes a reclaim cookie, so it resumes after the position the last
 * partial walk rooted at the same memcg on this node left (root->nodeinfo[nid]->iter), and stops
 * as soon as nr_reclaimed >= nr_to_reclaim (mem_cgroup_iter_break: the position stays). Reaching
 * the end of the tree clears the position and bumps the generation. The walk is pre-order and
 * includes the root and offline-but-unreleased memcgs. Below memory.min: skipped; below
 * memory.low: skipped (memcg_low_skipped) unless this is the memcg_low_reclaim pass (MEMCG_LOW).
 */
export function shrinkNodeMemcgs(ctx: Ctx, sc: ScanControl): void {
  const partial = !isKswapd(sc) && !sc.memcgFullWalk;
  const root = sc.target;
  const order = subtreeIds(ctx.s, root);
  let start = 0;
  if (partial) {
    const pos = ctx.s.memcgs.get(root)!.nodeinfo[sc.nid].iter.position;
    start = pos ? order.indexOf(pos) + 1 : 0;
    if (start >= order.length) start = 0; // nothing after the position: a walker that saw nothing starts over
  }
  const memo = new Map<number, Protection>();
  for (let i = start; i < order.length; i++) {
    const m = ctx.s.memcgs.get(order[i]);
    if (!m) continue; // released during this walk
    if (!shrinkOneMemcg(ctx, m, sc, calculateProtection(ctx.s, root, m, memo))) continue;
    if (partial && sc.nrReclaimed >= sc.nrToReclaim) {
      // mem_cgroup_iter_break(); a position released meanwhile was invalidated (0)
      if (ctx.s.memcgs.has(root)) ctx.emit(E.memcgIter(root, ctx.s.memcgs.has(m.id) ? m.id : 0, withNid(0, sc.nid)));
      return;
    }
  }
  if (partial && ctx.s.memcgs.has(root)) ctx.emit(E.memcgIter(root, 0, withNid(1, sc.nid))); // the target was pinned by the reclaimer; here a dying target may go with its last page
}

/** The body of the shrink_node_memcgs() loop for one memcg; false when protection skipped it. */
function shrinkOneMemcg(ctx: Ctx, m: MemcgView, sc: ScanControl, p: Protection): boolean {
  if (belowMin(sc.target, m, p)) return false;
  if (belowLow(sc.target, m, p)) {
    if (!sc.memcgLowReclaim) {
      sc.memcgLowSkipped = true;
      return false;
    }
    memcgMemoryEvent(ctx, m.id, MEMCG_LOW);
  }
  sc.emin = p.emin;
  sc.elow = p.elow;
  sc.lruvecsVisited++;
  if (ctx.s.mglru) lruGenShrinkLruvec(ctx, m, sc);
  else shrinkLruvecClassic(ctx, m, sc);
  return true;
}

export { ROOT_MEMCG };
