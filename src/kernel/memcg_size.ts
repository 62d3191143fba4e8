/**
 * The bytes one dying memcg keeps allocated, as a sum of named parts (the structures
 * mem_cgroup_alloc() / alloc_mem_cgroup_per_node_info() / mem_cgroup_css_online() allocate and
 * __mem_cgroup_free() frees). Pure: sizes are constants with their source and kernel version, scaled
 * by the machine's CPUs and nodes. Sources: /work/notes/issue12-kernel.md §5 (Waiman Long's 2022
 * figures; the struct definitions of a post-7.1 mm tree, "S1").
 */

/** Which kernel's structure sizes: Waiman Long's 5.18-era build (2022) or 7.1 (the default). */
export const MEMCG_LAYOUTS = ['5.18', '7.1'] as const;
export type MemcgLayout = (typeof MEMCG_LAYOUTS)[number];
export const DEFAULT_MEMCG_LAYOUT: MemcgLayout = '7.1';

/** How many objcgs a memcg allocates at online: one per node in 7.1 (01b9da291c49), one in the posted v1. */
export type ObjcgScheme = 'per-node' | 'one';

/** The sizes of one layout, in bytes. */
export interface MemcgLayoutSizes {
  /** sizeof(struct memcg_vmstats_percpu): alloc_percpu, one copy per possible CPU */
  vmstatsPercpu: number;
  /** sizeof(struct lruvec_stats_percpu): alloc_percpu, one per node, one copy per CPU */
  lruvecStatsPercpu: number;
  /** struct mem_cgroup (memcg_cachep) with its nodeinfo pointers */
  memCgroup: number;
  /** struct memcg_vmstats (kzalloc); 0 when it was embedded in struct mem_cgroup */
  memcgVmstats: number;
  /** struct mem_cgroup_per_node (lruvec, lrugen, lru_zone_size, iter, objcg pointers), per node */
  perNode: number;
  /** struct lruvec_stats (kzalloc_node) per node; 0 when embedded in mem_cgroup_per_node */
  lruvecStats: number;
  /** struct obj_cgroup (kmalloc-64) + its percpu_ref_data (kmalloc-64), per objcg */
  objcg: number;
  /** the percpu_ref counter of an objcg: 8 bytes per CPU, freed only by percpu_ref_exit() */
  objcgPercpu: number;
}

// --- Linux 5.18 (Waiman Long, 2022-04-21, 20220421145845.1044652-1-longman@redhat.com) ---
/** "memcg_vmstats_percpu … a size of 2424 … bytes" (Waiman Long, 5.18-rc, x86-64, 2022). */
export const MEMCG_VMSTATS_PERCPU_BYTES_5_18 = 2424;
/** "… and lruvec_stats_percpu … 656 bytes" (Waiman Long, 2022). */
export const LRUVEC_STATS_PERCPU_BYTES_5_18 = 656;
/** "The mem_cgroup structure is just a bit over 4k" (Waiman Long, 2022; memcg_vmstats embedded then). */
export const MEM_CGROUP_BYTES_5_18 = 4096;
/** mem_cgroup_per_node with lruvec_stats embedded: ≈2 KiB per node [unverified estimate; no 2022 figure]. */
export const PER_NODE_BYTES_5_18 = 2048;

// --- Linux 7.1 (struct definitions of a post-7.1 mm tree, S1; N = 47 node stat items, E = 22 events) ---
/** 24 + 16·(N+7) + 16·E = 1240, ____cacheline_aligned → 1280 B per CPU (S1; 1024 with N = 33, Jan-2026 linux-next). */
export const MEMCG_VMSTATS_PERCPU_BYTES_7_1 = 1280;
/** 16·N = 752 B per CPU per node (S1; 528 with N = 33). */
export const LRUVEC_STATS_PERCPU_BYTES_7_1 = 752;
/** struct mem_cgroup: ≈4 KiB as in 2022 (vmstats now separate; 2–4 KiB, unverified: no pahole of 7.1). */
export const MEM_CGROUP_BYTES_7_1 = 4096;
/** struct memcg_vmstats: 3·8·(N+7) + 3·8·E + 8 = 1832 → kmalloc-2k (S1). */
export const MEMCG_VMSTATS_BYTES_7_1 = 2048;
/** struct mem_cgroup_per_node, memcg_pn_cachep: ≈1.5–2 KiB → 2048 per node [unverified estimate from the fields]. */
export const PER_NODE_BYTES_7_1 = 2048;
/** struct lruvec_stats: 3·8·N = 1128 → kmalloc-2k per node (S1). */
export const LRUVEC_STATS_BYTES_7_1 = 2048;

// --- obj_cgroup (since 5.9; per node since 7.1) ---
/** struct obj_cgroup (48 B → kmalloc-64) + percpu_ref_data (~56 B → kmalloc-64), rounded to 128 (S1, lib/percpu-refcount.c). */
export const OBJCG_BYTES = 128;
/** percpu_ref's unsigned long counter per CPU (lib/percpu-refcount.c). */
export const OBJCG_PERCPU_BYTES = 8;

export const LAYOUTS: Record<MemcgLayout, MemcgLayoutSizes> = {
  '5.18': {
    vmstatsPercpu: MEMCG_VMSTATS_PERCPU_BYTES_5_18,
    lruvecStatsPercpu: LRUVEC_STATS_PERCPU_BYTES_5_18,
    memCgroup: MEM_CGROUP_BYTES_5_18,
    memcgVmstats: 0,
    perNode: PER_NODE_BYTES_5_18,
    lruvecStats: 0,
    objcg: OBJCG_BYTES,
    objcgPercpu: OBJCG_PERCPU_BYTES,
  },
  '7.1': {
    vmstatsPercpu: MEMCG_VMSTATS_PERCPU_BYTES_7_1,
    lruvecStatsPercpu: LRUVEC_STATS_PERCPU_BYTES_7_1,
    memCgroup: MEM_CGROUP_BYTES_7_1,
    memcgVmstats: MEMCG_VMSTATS_BYTES_7_1,
    perNode: PER_NODE_BYTES_7_1,
    lruvecStats: LRUVEC_STATS_BYTES_7_1,
    objcg: OBJCG_BYTES,
    objcgPercpu: OBJCG_PERCPU_BYTES,
  },
};

/** One dying memcg's bytes, by part (the keys `show` prints, memory.stat style). */
export interface MemcgSizeParts {
  /** memcg_vmstats_percpu + lruvec_stats_percpu per node, on every CPU */
  dying_percpu: number;
  /** struct mem_cgroup + struct memcg_vmstats */
  dying_memcg_struct: number;
  /** mem_cgroup_per_node + lruvec_stats, per node */
  dying_per_node: number;
  /** the memcg's own objcgs (freed with it: __mem_cgroup_free drops orig_objcg), percpu counters included */
  dying_objcg: number;
}

export const MEMCG_SIZE_PARTS: readonly (keyof MemcgSizeParts)[] = ['dying_percpu', 'dying_memcg_struct', 'dying_per_node', 'dying_objcg'];

/** The parts of one dying memcg on a machine of `cpus` CPUs and `nodes` nodes. */
export function memcgSizeParts(layout: MemcgLayout, cpus: number, nodes: number, objcgs: ObjcgScheme): MemcgSizeParts {
  const l = LAYOUTS[layout];
  const nrObjcgs = objcgs === 'per-node' ? nodes : 1;
  return {
    dying_percpu: cpus * (l.vmstatsPercpu + nodes * l.lruvecStatsPercpu),
    dying_memcg_struct: l.memCgroup + l.memcgVmstats,
    dying_per_node: nodes * (l.perNode + l.lruvecStats),
    dying_objcg: nrObjcgs * (l.objcg + cpus * l.objcgPercpu),
  };
}

export function sumParts(p: MemcgSizeParts): number {
  return MEMCG_SIZE_PARTS.reduce((a, k) => a + p[k], 0);
}
