import { PAGE_SHIFT } from './constants.js';
import type { KernelView } from './state.js';

// Zone watermarks (mm/page_alloc.c): one zone per node, the machine's memory split evenly over the nodes.

export const WMARK_MIN = 0;
export const WMARK_LOW = 1;
export const WMARK_HIGH = 2;

/** int_sqrt(): floor of the square root. */
export function intSqrt(x: number): number {
  let r = Math.floor(Math.sqrt(x));
  while (r * r > x) r--;
  while ((r + 1) * (r + 1) <= x) r++;
  return r;
}

/**
 * calculate_min_free_kbytes(): int_sqrt(lowmem_kbytes * 16), clamped to [128, 262144] KiB.
 * lowmem is all of the machine's memory (nr_free_buffer_pages() at boot, when the watermarks are 0).
 */
export function calculateMinFreeKbytes(memoryPages: number): number {
  const lowmemKbytes = memoryPages * (1 << (PAGE_SHIFT - 10));
  return Math.min(Math.max(intSqrt(lowmemKbytes * 16), 128), 262144);
}

/**
 * __setup_per_zone_wmarks() for one zone with managed = memoryPages: MIN is min_free_kbytes in
 * pages; LOW and HIGH each add max(MIN/4, managed * watermark_scale_factor / 10000). No boost.
 */
export function zoneWatermarks(memoryPages: number, minFreeKbytes: number, watermarkScaleFactor: number): [number, number, number] {
  const min = minFreeKbytes >> (PAGE_SHIFT - 10);
  const tmp = Math.max(min >> 2, Math.floor((memoryPages * watermarkScaleFactor) / 10000));
  return [min, min + tmp, min + 2 * tmp];
}

/** The managed pages of node nid's zone: the machine's memory split evenly, the remainder to the lowest nodes. */
export function nodePages(s: KernelView, nid: number): number {
  const n = s.nodes.length;
  return Math.floor(s.memoryPages / n) + (nid < s.memoryPages % n ? 1 : 0);
}

/**
 * The watermarks of node nid's zone. __setup_per_zone_wmarks() gives each zone its share of
 * min_free_kbytes in proportion to its managed pages.
 */
export function watermarks(s: KernelView, nid = 0): [number, number, number] {
  if (s.nodes.length === 1) return zoneWatermarks(s.memoryPages, s.vm.minFreeKbytes, s.vm.watermarkScaleFactor);
  const pages = nodePages(s, nid);
  const minFreeKbytes = Math.floor((s.vm.minFreeKbytes * pages) / Math.max(s.memoryPages, 1));
  return zoneWatermarks(pages, minFreeKbytes, s.vm.watermarkScaleFactor);
}

/**
 * Free pages of node nid's zone. One node: every allocated page is charged in this model, but
 * charge stocks hold pages charged ahead of use that no folio occupies yet (refill_stock). More
 * nodes: the node's pages less the folios allocated on it.
 */
export function zoneFreePages(s: KernelView, nid = 0): number {
  if (s.nodes.length === 1) return s.memoryPages - ((s.memcgs.get(1)?.memory ?? 0) - s.stockPages);
  return nodePages(s, nid) - s.nodes[nid].nrFolios;
}
