import { PAGE_SIZE } from '../kernel/constants.js';
import type { KernelView, MemcgView } from '../kernel/state.js';
import { localStat, MEMORY_STAT_KEYS, subtreeSum } from './memory_stat.js';

/** memory.numa_stat's content: key → `N<nid>` → value (bytes or a count), in the kernel's order. */
export type NumaStatValues = Record<string, Record<string, number>>;

/**
 * The memory_stats[] items that are node_stat_items and that the model has, in memory_stats[]
 * order. The kernel also prints kernel_stack, pagetables, sec_pagetables, anon_thp,
 * file_thp, shmem_thp, slab_reclaimable, slab_unreclaimable, hugetlb, workingset_nodereclaim,
 * pgdemote_* and pgpromote_success, which the model does not have; memcg-only items (kernel,
 * percpu, sock, vmalloc, zswap) and vm events (pgscan, pgfault, …) it never prints here.
 */
export const NUMA_STAT_KEYS = MEMORY_STAT_KEYS.filter((k) => k.node).map((k) => k.key);

/**
 * memory.numa_stat (memory_numa_stat_show): for each memory_stats[] item below
 * NR_VM_NODE_STAT_ITEMS, `name` then ` N<nid>=<value>` for every node with memory —
 * lruvec_page_state_output() of the memcg's lruvec on that node, hierarchical (rstat) like
 * memory.stat, so with one node N0 equals memory.stat's value.
 */
export function readMemoryNumaStat(s: KernelView, m: MemcgView): NumaStatValues {
  const out: NumaStatValues = {};
  const perNode = s.nodes.map(({ nid }) => ({ nid, v: subtreeSum(s, localStat(s, nid), m.id) }));
  MEMORY_STAT_KEYS.forEach(({ key, bytes, node }, i) => {
    if (!node) return;
    const row: Record<string, number> = {};
    for (const { nid, v } of perNode) row[`N${nid}`] = bytes ? v[i] * PAGE_SIZE : v[i];
    out[key] = row;
  });
  return out;
}

export function formatMemoryNumaStat(v: NumaStatValues): string {
  let out = '';
  for (const key in v) {
    out += key;
    for (const n in v[key]) out += ` ${n}=${v[key][n]}`;
    out += '\n';
  }
  return out;
}
