import {
  DEF_PRIORITY, LRU_ACTIVE_FILE, LRU_INACTIVE_FILE, NR_EVICTABLE_LRU, PAGE_SHIFT, SWAP_CLUSTER_MAX,
} from '../kernel/constants.js';
import { E } from '../kernel/events.js';
import { lruvecOf } from '../kernel/node.js';
import { MEMCG_ONLINE, type FolioView, type LruvecView, type MemcgView } from '../kernel/state.js';
import type { Ctx } from './context.js';
import { releaseUnpinned } from './release.js';

/** struct scan_control, the part the classic path needs. */
export interface ScanControl {
  target: number; // sc->target_mem_cgroup (root for global reclaim)
  nrToReclaim: number;
  nrReclaimed: number;
  priority: number;
  lruvecsVisited: number;
  /** global (root) reclaim rather than a memcg's limit */
  rootReclaim: boolean;
  /** the node shrink_node() is working on (its pgdat) */
  nid: number;
}

/**
 * shrink_lruvec() for the classic LRU (mm/vmscan.c). No swap is modelled, so get_scan_count()
 * is SCAN_FILE: only the file lists are scanned and anon stays resident until freed.
 */
export function shrinkLruvecClassic(ctx: Ctx, m: MemcgView, sc: ScanControl): void {
  const lv = lruvecOf(m, sc.nid);
  const nr = new Array<number>(NR_EVICTABLE_LRU).fill(0);
  for (const lru of [LRU_INACTIVE_FILE, LRU_ACTIVE_FILE]) {
    const size = lv.size[lru];
    let scan = size >> sc.priority;
    // Scrape out dead memcgs' leftover cache even when size >> priority is 0.
    if (!scan && m.state !== MEMCG_ONLINE) scan = Math.min(size, SWAP_CLUSTER_MAX);
    nr[lru] = scan;
  }
  while (nr[LRU_INACTIVE_FILE] || nr[LRU_ACTIVE_FILE]) {
    for (const lru of [LRU_INACTIVE_FILE, LRU_ACTIVE_FILE]) {
      if (!nr[lru]) continue;
      const n = Math.min(nr[lru], SWAP_CLUSTER_MAX);
      nr[lru] -= n;
      if (!ctx.s.memcgs.has(m.id)) return; // freed by its last eviction (legacy)
      if (lru === LRU_ACTIVE_FILE) {
        // shrink_list(): the active list is aged only when the inactive list is too small.
        if (inactiveIsLow(lv)) shrinkActiveList(ctx, m, lv, lru, n);
      } else {
        sc.nrReclaimed += shrinkInactiveList(ctx, m, lv, lru, n, sc);
      }
    }
    // Simplification of the proportional scan adjustment: stop once the goal is met.
    if (sc.nrReclaimed >= sc.nrToReclaim && sc.priority < DEF_PRIORITY) break;
  }
}

/** inactive_is_low(): inactive * int_sqrt(10 * GB) < active. */
export function inactiveIsLow(lv: LruvecView): boolean {
  const inactive = lv.size[LRU_INACTIVE_FILE];
  const active = lv.size[LRU_ACTIVE_FILE];
  const gb = (inactive + active) >> (30 - PAGE_SHIFT);
  const ratio = gb ? Math.floor(Math.sqrt(10 * gb)) : 1;
  return inactive * ratio < active;
}

function isolateFromTail(lv: LruvecView, lru: number, n: number): FolioView[] {
  const out: FolioView[] = [];
  for (let f = lv.lists[lru].tail; f && out.length < n; f = f.prev) out.push(f);
  return out;
}

/**
 * shrink_inactive_list() + shrink_folio_list(). File folios here are unmapped, clean page cache,
 * so folio_check_references() says RECLAIM(_CLEAN) and every isolated folio is freed with a
 * shadow entry (only mapped folios with young PTEs would be kept; none are on the file lists).
 */
function shrinkInactiveList(ctx: Ctx, m: MemcgView, lv: LruvecView, lru: number, n: number, sc: ScanControl): number {
  const isolated = isolateFromTail(lv, lru, n);
  if (!isolated.length) return 0;
  ctx.emit(E.scan(m.id, lru, isolated.length));
  let reclaimed = 0;
  for (const f of isolated) {
    const owner = f.owner;
    ctx.emit(E.evict(f.id, sc.target));
    reclaimed++;
    releaseUnpinned(ctx, m.id, owner);
  }
  return reclaimed;
}

/**
 * shrink_active_list(): everything isolated from the active tail is deactivated (only
 * referenced VM_EXEC file folios would stay active; none are modelled).
 */
function shrinkActiveList(ctx: Ctx, m: MemcgView, lv: LruvecView, lru: number, n: number): void {
  const isolated = isolateFromTail(lv, lru, n);
  if (!isolated.length) return;
  ctx.emit(E.scan(m.id, lru, isolated.length));
  for (const f of isolated) ctx.emit(E.deactivate(f.id));
}
