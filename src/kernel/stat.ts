import type { FolioView, MemcgView } from './state.js';

/**
 * Per-memcg counters, named as in memory.stat. Each memcg keeps local values; memory.stat shows
 * hierarchical sums (the kernel's rstat), and a freed memcg's counts are folded into its parent.
 * pgscan/pgsteal are the sums of their _kswapd/_direct/_proactive parts, kept too because they
 * were counted before the split existed.
 */
export const Stat = {
  anon: 0, // pages (NR_ANON_MAPPED)
  file: 1, // pages (NR_FILE_PAGES)
  pgscan: 2,
  pgsteal: 3,
  pgrefill: 4,
  pgactivate: 5,
  pgdeactivate: 6,
  workingset_refault_anon: 7,
  workingset_refault_file: 8,
  workingset_activate_anon: 9,
  workingset_activate_file: 10,
  workingset_restore_anon: 11,
  workingset_restore_file: 12,
  pgfault: 13,
  pgscan_kswapd: 14,
  pgscan_direct: 15,
  pgscan_proactive: 16,
  pgsteal_kswapd: 17,
  pgsteal_direct: 18,
  pgsteal_proactive: 19,
  /** PSWPOUT: pages written to swap */
  pswpout: 20,
  /** PGROTATED: folio_rotate_reclaimable() moves to the inactive tail */
  pgrotated: 21,
} as const;
export const NR_STATS = Object.keys(Stat).length;

/** pgscan_kswapd + reclaimer_offset() (RECLAIMERS order: direct, kswapd, proactive). */
export const PGSCAN_BY_RECLAIMER: readonly number[] = [Stat.pgscan_direct, Stat.pgscan_kswapd, Stat.pgscan_proactive];
export const PGSTEAL_BY_RECLAIMER: readonly number[] = [Stat.pgsteal_direct, Stat.pgsteal_kswapd, Stat.pgsteal_proactive];

/** Items that are sizes (moved on reparent, must be 0 when freed) rather than event counts. */
export const SIZE_STATS: readonly number[] = [Stat.anon, Stat.file];

export function newStats(): number[] {
  return new Array<number>(NR_STATS).fill(0);
}

/**
 * Sizes in pages the model derives from the folio flags rather than keeping as counters:
 * NR_FILE_MAPPED, NR_FILE_DIRTY, NR_WRITEBACK and NR_SWAPCACHE of each memcg (folio_memcg).
 */
/**
 * The event counters that are node_stat_items (the lruvec's, printed per node by
 * memory.numa_stat): each memcg node keeps its share in this order (MemcgPerNode.lruvecStat).
 */
export const NODE_EVENT_STATS: readonly number[] = [
  Stat.workingset_refault_anon,
  Stat.workingset_refault_file,
  Stat.workingset_activate_anon,
  Stat.workingset_activate_file,
  Stat.workingset_restore_anon,
  Stat.workingset_restore_file,
];

export interface FolioSizes {
  file_mapped: number;
  file_dirty: number;
  file_writeback: number;
  swapcached: number;
  shmem: number;
}

export function newFolioSizes(): FolioSizes {
  return { file_mapped: 0, file_dirty: 0, file_writeback: 0, swapcached: 0, shmem: 0 };
}

/** Count one folio into the sizes it makes up (views bucket folios per memcg and node with it). */
export function addFolio(out: FolioSizes, f: FolioView): void {
  if (f.file && f.mapped) out.file_mapped++;
  if (f.file && f.dirty) out.file_dirty++;
  if (f.writeback) out.file_writeback++; // NR_WRITEBACK counts anon (swap) writeback too
  if (f.swapcache) out.swapcached++;
  if (f.shmem) out.shmem++;
}

/**
 * The size item a folio counts in: NR_FILE_PAGES for the page cache, shmem included
 * (shmem_add_to_page_cache() adds NR_FILE_PAGES and NR_SHMEM), NR_ANON_MAPPED for anon.
 */
export function folioSizeStat(f: { file: boolean; shmem: boolean }): number {
  return f.file || f.shmem ? Stat.file : Stat.anon;
}

/** memory.swap.current of a memcg in pages (hierarchical page counter). */
export function swapCurrent(m: MemcgView): number {
  return m.swap;
}
