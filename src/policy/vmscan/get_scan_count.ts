import { LRU_FILE, NR_EVICTABLE_LRU, SWAP_CLUSTER_MAX } from '../../kernel/constants.js';
import { type KernelView, type LruvecView, MEMCG_ONLINE, type MemcgView } from '../../kernel/state.js';
import { cgroupReclaim, type ScanControl } from './scan_control.js';

export const SCAN_EQUAL = 0;
export const SCAN_FRACT = 1;
export const SCAN_ANON = 2;
export const SCAN_FILE = 3;

const MAX_SWAPPINESS = 200;

/** get_nr_swap_pages() > 0: free swap slots (memory.swap.max is not modelled). */
export function canReclaimAnonPages(s: KernelView): boolean {
  return s.vm.swapPages - s.swapEntries.size > 0;
}

/** The scan balance of get_scan_count(), first match wins. */
export function scanBalance(s: KernelView, sc: ScanControl): number {
  if (!sc.maySwap || !canReclaimAnonPages(s)) return SCAN_FILE; // no swap (or may not swap): file only
  if (cgroupReclaim(sc) && !sc.swappiness) return SCAN_FILE;
  if (!sc.priority && sc.swappiness) return SCAN_EQUAL; // priority 0: scan both by size
  if (sc.fileIsTiny) return SCAN_ANON;
  if (sc.cacheTrimMode) return SCAN_FILE;
  return SCAN_FRACT;
}

/**
 * SCAN_FRACT's weights: each type's cost share (confined to [1/3, 2/3]) against the swappiness.
 * Returns [fraction anon, fraction file, denominator].
 */
export function scanFractions(swappiness: number, anonCostIn: number, fileCostIn: number): [number, number, number] {
  let total = anonCostIn + fileCostIn;
  const anonCost = total + anonCostIn;
  const fileCost = total + fileCostIn;
  total = anonCost + fileCost;
  const ap = Math.floor((swappiness * (total + 1)) / (anonCost + 1));
  const fp = Math.floor(((MAX_SWAPPINESS - swappiness) * (total + 1)) / (fileCost + 1));
  return [ap, fp, ap + fp];
}

/**
 * get_scan_count() (mm/vmscan.c): nr[lru] for one lruvec. Protection (memory.min/low) scales the
 * size down; `scan >>= priority`; an offline memcg with nothing at this priority is scraped
 * min(size, SWAP_CLUSTER_MAX) (and rounded up under SCAN_FRACT); then the balance applies.
 */
export function getScanCount(s: KernelView, m: MemcgView, lv: LruvecView, sc: ScanControl): number[] {
  const balance = scanBalance(s, sc);
  const [fa, ff, denominator] = balance === SCAN_FRACT ? scanFractions(sc.swappiness, sc.anonCost, sc.fileCost) : [1, 1, 1];
  const online = m.state === MEMCG_ONLINE;
  const nr = new Array<number>(NR_EVICTABLE_LRU).fill(0);
  for (let lru = 0; lru < NR_EVICTABLE_LRU; lru++) {
    const file = (lru & LRU_FILE) !== 0;
    const size = lv.size[lru];
    let scan = applyProportionalProtection(m, size, sc);
    scan = Math.floor(scan / 2 ** sc.priority);
    if (!scan && !online) scan = Math.min(size, SWAP_CLUSTER_MAX);
    if (balance === SCAN_FRACT) {
      const num = scan * (file ? ff : fa);
      scan = online ? Math.floor(num / denominator) : Math.ceil(num / denominator);
    } else if (balance !== SCAN_EQUAL && (balance === SCAN_FILE) !== file) scan = 0;
    nr[lru] = scan;
  }
  return nr;
}

/**
 * The protection part of get_scan_count(): with an effective min or low, scan
 * `size - size * protection / (max(usage, protection) + 1)`, at least SWAP_CLUSTER_MAX; low counts
 * unless this is the memcg_low_reclaim pass (that also marks memcg_low_skipped).
 */
function applyProportionalProtection(m: MemcgView, size: number, sc: ScanControl): number {
  const { emin, elow } = sc;
  if (!emin && !elow) return size;
  let protection = emin;
  if (!sc.memcgLowReclaim && elow > emin) {
    protection = elow;
    sc.memcgLowSkipped = true;
  }
  const usage = m.memory;
  const scan = size - Math.floor((size * protection) / (Math.max(usage, protection) + 1));
  return Math.max(scan, SWAP_CLUSTER_MAX);
}
