/**
 * What a memcg reclaimer asks of try_to_free_mem_cgroup_pages() besides a target and a page count
 * (the reclaim_options bits and the scan_control fields it sets).
 */
export interface ReclaimOpts {
  /** MEMCG_RECLAIM_MAY_SWAP: anon may be swapped (default true, as memory.max / memory.high / memory.reclaim pass it) */
  maySwap?: boolean;
  /** MEMCG_RECLAIM_PROACTIVE: memory.reclaim (counted as pgscan/pgsteal_proactive) */
  proactive?: boolean;
  /** memory.reclaim's swappiness= argument (0–200, or SWAPPINESS_ANON_ONLY); default machine.swappiness */
  swappiness?: number;
  /** global direct reclaim: the allocating task's preferred node, whose zonelist order shrink_zones() walks */
  preferredNid?: number;
}
