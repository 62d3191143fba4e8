import {
  DEF_PRIORITY,
  LRU_ACTIVE,
  LRU_ACTIVE_ANON,
  LRU_ACTIVE_FILE,
  LRU_FILE,
  LRU_INACTIVE_ANON,
  LRU_INACTIVE_FILE,
  NR_EVICTABLE_LRU,
  PAGE_SHIFT,
  SWAP_CLUSTER_MAX,
} from '../kernel/constants.js';
import { lruvecOf } from '../kernel/node.js';
import { type LruvecView, MEMCG_ONLINE, type MemcgView } from '../kernel/state.js';
import type { Ctx } from './context.js';
import { getScanCount } from './vmscan/get_scan_count.js';
import { cgroupReclaim, DEACTIVATE_ANON, DEACTIVATE_FILE, isKswapd, type ScanControl } from './vmscan/scan_control.js';
import { canAgeAnonPages, shrinkActiveList, shrinkInactiveList } from './vmscan/shrink_list.js';

export type { ScanControl } from './vmscan/scan_control.js';

/**
 * shrink_lruvec() for the classic LRU (mm/vmscan.c): get_scan_count() sizes each list, the lists
 * are scanned round robin in SWAP_CLUSTER_MAX chunks, and once this lruvec has reclaimed
 * nr_to_reclaim (not for direct global reclaim at DEF_PRIORITY: proportional_reclaim) the smaller
 * type stops and the larger is cut to the same share of its target. Then the anon lists are
 * rebalanced if swap makes aging anon worth it.
 */
export function shrinkLruvecClassic(ctx: Ctx, m: MemcgView, sc: ScanControl): void {
  const lv = lruvecOf(m, sc.nid);
  const nr = getScanCount(ctx.s, m, lv, sc);
  const targets = [...nr];
  const proportional = !cgroupReclaim(sc) && !isKswapd(sc) && sc.priority === DEF_PRIORITY;
  let reclaimed = 0;
  while (nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_FILE] || nr[LRU_INACTIVE_FILE]) {
    for (let lru = 0; lru < NR_EVICTABLE_LRU; lru++) {
      if (!nr[lru]) continue;
      const n = Math.min(nr[lru], SWAP_CLUSTER_MAX);
      nr[lru] -= n;
      if (!ctx.s.memcgs.has(m.id)) {
        sc.nrReclaimed += reclaimed;
        return;
      } // freed by its last eviction (legacy)
      reclaimed += shrinkList(ctx, m, lv, lru, n, sc);
    }
    if (reclaimed < sc.nrToReclaim || proportional) continue;
    // the type stopped here has nothing left next round, so the round after the trim is the last
    if (!proportionalTrim(nr, targets)) break;
  }
  sc.nrReclaimed += reclaimed;
  const live = ctx.s.memcgs.get(m.id);
  // Even if we did not try to evict anon pages at all, we want to rebalance the anon lru active/inactive ratio.
  if (live && canAgeAnonPages(ctx.s) && inactiveIsLow(lruvecOf(live, sc.nid), LRU_INACTIVE_ANON)) {
    shrinkActiveList(ctx, live, lruvecOf(live, sc.nid), LRU_ACTIVE_ANON, SWAP_CLUSTER_MAX, sc);
  }
}

/**
 * The proportional adjustment of shrink_lruvec(): stop scanning the type with less left to scan,
 * and cut the other to the share of its target the stopped one had left. False = nothing to do.
 */
export function proportionalTrim(nr: number[], targets: readonly number[]): boolean {
  const nrFile = nr[LRU_INACTIVE_FILE] + nr[LRU_ACTIVE_FILE];
  const nrAnon = nr[LRU_INACTIVE_ANON] + nr[LRU_ACTIVE_ANON];
  if (!nrFile || !nrAnon) return false;
  let stop: number;
  let percentage: number;
  if (nrFile > nrAnon) {
    stop = 0;
    percentage = Math.floor((nrAnon * 100) / (targets[LRU_INACTIVE_ANON] + targets[LRU_ACTIVE_ANON] + 1));
  } else {
    stop = LRU_FILE;
    percentage = Math.floor((nrFile * 100) / (targets[LRU_INACTIVE_FILE] + targets[LRU_ACTIVE_FILE] + 1));
  }
  nr[stop] = 0;
  nr[stop + LRU_ACTIVE] = 0;
  const other = stop === LRU_FILE ? 0 : LRU_FILE;
  for (const lru of [other, other + LRU_ACTIVE]) {
    const scanned = targets[lru] - nr[lru];
    nr[lru] = Math.floor((targets[lru] * (100 - percentage)) / 100);
    nr[lru] -= Math.min(nr[lru], scanned);
  }
  return true;
}

/** shrink_list(): an active list is aged only when prepare_scan_control() allowed it for that type. */
function shrinkList(ctx: Ctx, m: MemcgView, lv: LruvecView, lru: number, n: number, sc: ScanControl): number {
  if (lru & LRU_ACTIVE) {
    const bit = lru & LRU_FILE ? DEACTIVATE_FILE : DEACTIVATE_ANON;
    if (sc.mayDeactivate & bit) shrinkActiveList(ctx, m, lv, lru, n, sc);
    else sc.skippedDeactivate = true;
    return 0;
  }
  return shrinkInactiveList(ctx, m, lv, lru, n, sc);
}

/** inactive_is_low() on one lruvec's own lists of a type (inactive_lru: LRU_INACTIVE_ANON or _FILE). */
export function inactiveIsLow(lv: LruvecView, inactiveLru: number = LRU_INACTIVE_FILE): boolean {
  return inactiveIsLowSizes(lv.size[inactiveLru], lv.size[inactiveLru + LRU_ACTIVE]);
}

/** inactive_is_low(): inactive * int_sqrt(10 * GB) < active, with GB the type's size in gigabytes. */
export function inactiveIsLowSizes(inactive: number, active: number): boolean {
  const gb = (inactive + active) >> (30 - PAGE_SHIFT);
  const ratio = gb ? Math.floor(Math.sqrt(10 * gb)) : 1;
  return inactive * ratio < active;
}

/** Whether a memcg is online (mem_cgroup_online). */
export function memcgOnline(m: MemcgView): boolean {
  return m.state === MEMCG_ONLINE;
}
