import { ANON_AND_FILE, LRU_ACTIVE, LRU_INACTIVE_FILE, MAX_NR_TIERS } from './constants.js';

// The kernel's multi-dimensional LRU arrays (include/linux/mmzone.h), flattened to one dimension
// here; these are the only places that know the layout.

/** lrugen->folios[gen][type] and nr_pages[gen][type]: the flat index of (gen, type). */
export function lruGenIndex(gen: number, type: number): number {
  return gen * ANON_AND_FILE + type;
}

/** The type (LRU_GEN_ANON/LRU_GEN_FILE) of a flat lrugen list index. */
export function lruGenIndexType(index: number): number {
  return index % ANON_AND_FILE;
}

/** avg_refaulted/avg_total/refaulted/evicted/protected[type][tier]: the flat index of (type, tier). */
export function tierIndex(type: number, tier: number): number {
  return type * MAX_NR_TIERS + tier;
}

/** The classic list of a type (LRU_GEN_ANON/LRU_GEN_FILE): type * LRU_INACTIVE_FILE (+ LRU_ACTIVE), as lru_gen_update_size() computes it. */
export function lruListOfType(type: number, active: boolean): number {
  return type * LRU_INACTIVE_FILE + (active ? LRU_ACTIVE : 0);
}
