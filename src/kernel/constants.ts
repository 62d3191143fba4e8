// Kernel constants (include/linux/mmzone.h, include/linux/swap.h, mm/internal.h).
export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
export const MIN_NR_GENS = 2;
export const MAX_NR_GENS = 4;
export const MAX_NR_TIERS = 4;
export const SWAP_CLUSTER_MAX = 32;
export const DEF_PRIORITY = 12;
export const MAX_RECLAIM_RETRIES = 16;
export const MIN_LRU_BATCH = 64; // BITS_PER_LONG
export const MAX_LRU_BATCH = MIN_LRU_BATCH * 64;
export const MEMCG_NR_GENS = 2;
export const MEMCG_NR_BINS = 8;

// enum lru_list
export const LRU_INACTIVE_ANON = 0;
export const LRU_ACTIVE_ANON = 1;
export const LRU_INACTIVE_FILE = 2;
export const LRU_ACTIVE_FILE = 3;
export const LRU_UNEVICTABLE = 4;
export const NR_LRU_LISTS = 5;
/** for_each_evictable_lru(): lru <= LRU_ACTIVE_FILE */
export const NR_EVICTABLE_LRU = LRU_ACTIVE_FILE + 1;
export const LRU_ACTIVE = 1;
export const LRU_FILE = 2;

// MGLRU types (LRU_GEN_ANON / LRU_GEN_FILE)
export const LRU_GEN_ANON = 0;
export const LRU_GEN_FILE = 1;
export const ANON_AND_FILE = 2;

/**
 * Nodes the machine has (nr_node_ids). Everything per node is indexed by nid; the event catalogue
 * has no node column yet and the state encoding writes one node, so this stays 1 until a NUMA
 * change adds both.
 */
export const NR_NODES = 1;

/** The root memcg's id, as the kernel's (ids start at 1). */
export const ROOT_MEMCG = 1;

// mm/memcontrol.c, include/linux/memcontrol.h
/** MEMCG_CHARGE_BATCH: pages try_charge_memcg() charges at once; the excess goes to the per-cpu stock */
export const MEMCG_CHARGE_BATCH = 64;
/** PAGE_ALLOC_COSTLY_ORDER: the memcg OOM killer runs only for charges of order ≤ 3 */
export const PAGE_ALLOC_COSTLY_ORDER = 3;
/** HZ as modelled: one jiffy is 1 ms */
export const HZ = 1000;
/** MEMCG_MAX_HIGH_DELAY_JIFFIES: the memory.high penalty is capped at 2 s */
export const MEMCG_MAX_HIGH_DELAY_JIFFIES = 2 * HZ;
export const MEMCG_DELAY_PRECISION_SHIFT = 20;
export const MEMCG_DELAY_SCALING_SHIFT = 14;
