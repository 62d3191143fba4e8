import { DEF_PRIORITY, ROOT_MEMCG } from '../../kernel/constants.js';
import { RECLAIMER_DIRECT, RECLAIMER_KSWAPD, RECLAIMER_PROACTIVE } from '../../kernel/events.js';

export const DEACTIVATE_ANON = 1;
export const DEACTIVATE_FILE = 2;

/** struct scan_control (mm/vmscan.c): the fields this model reads. */
export interface ScanControl {
  /** sc->target_mem_cgroup; ROOT_MEMCG stands for NULL (global reclaim) */
  target: number;
  nrToReclaim: number;
  nrReclaimed: number;
  /** sc->nr_scanned: reset at each priority */
  nrScanned: number;
  priority: number;
  lruvecsVisited: number;
  /** root_reclaim(sc): global reclaim, or a target that is the root */
  rootReclaim: boolean;
  /** the node shrink_node() is working on */
  nid: number;
  /** reclaimer_offset(): RECLAIMER_DIRECT, _KSWAPD or _PROACTIVE */
  reclaimer: number;
  maySwap: boolean;
  /** sc_swappiness(): vm.swappiness (one value under cgroup v2) or memory.reclaim's swappiness= */
  swappiness: number;
  /** do_try_to_free_pages() retries */
  memcgFullWalk: boolean;
  forceDeactivate: boolean;
  skippedDeactivate: boolean;
  memcgLowReclaim: boolean;
  memcgLowSkipped: boolean;
  /** prepare_scan_control(), once per shrink_node() */
  mayDeactivate: number;
  cacheTrimMode: boolean;
  fileIsTiny: boolean;
  anonCost: number;
  fileCost: number;
  /** the effective memory.min / memory.low of the memcg being shrunk (set by the walk) */
  emin: number;
  elow: number;
}

export function newScanControl(target: number, nrToReclaim: number, reclaimer: number, swappiness: number, maySwap = true): ScanControl {
  return {
    target,
    nrToReclaim,
    nrReclaimed: 0,
    nrScanned: 0,
    priority: DEF_PRIORITY,
    lruvecsVisited: 0,
    rootReclaim: target === ROOT_MEMCG,
    nid: 0,
    reclaimer,
    maySwap,
    swappiness,
    memcgFullWalk: false,
    forceDeactivate: false,
    skippedDeactivate: false,
    memcgLowReclaim: false,
    memcgLowSkipped: false,
    mayDeactivate: DEACTIVATE_ANON | DEACTIVATE_FILE,
    cacheTrimMode: false,
    fileIsTiny: false,
    anonCost: 0,
    fileCost: 0,
    emin: 0,
    elow: 0,
  };
}

/** current_is_kswapd() */
export function isKswapd(sc: ScanControl): boolean {
  return sc.reclaimer === RECLAIMER_KSWAPD;
}

/** cgroup_reclaim(sc): a memcg limit (or memory.reclaim) reclaimer with a non-root target. */
export function cgroupReclaim(sc: ScanControl): boolean {
  return !sc.rootReclaim;
}

export { RECLAIMER_DIRECT, RECLAIMER_KSWAPD, RECLAIMER_PROACTIVE };
