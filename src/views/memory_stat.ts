import { LRU_ACTIVE_ANON, LRU_ACTIVE_FILE, LRU_INACTIVE_ANON, LRU_INACTIVE_FILE, LRU_UNEVICTABLE, PAGE_SIZE } from '../kernel/constants.js';
import { folioNid, lruvecOf, nrNodes } from '../kernel/node.js';
import { addFolio, type FolioSizes, NODE_EVENT_STATS, newFolioSizes, Stat } from '../kernel/stat.js';
import { folioMemcgId, type KernelView, type MemcgView } from '../kernel/state.js';
import { preOrder, subtreeIds } from '../kernel/tree.js';

type Source = { stat: number } | { lru: number } | { folios: keyof FolioSizes };

export interface StatKey {
  key: string;
  from: Source;
  /** a page count the kernel prints × PAGE_SIZE */
  bytes: boolean;
  /** a node_stat_item: memory.numa_stat prints it per node (memcg-only items and vm events it skips) */
  node: boolean;
}

/**
 * The keys we model, in the order memory_stat_format() prints them (memory_stats[], then the
 * accumulated pgscan/pgsteal, then memcg_vm_event_stat[]: pgscan_kswapd/direct/proactive and
 * pgsteal_* as 6.18 prints them; khugepaged is not modelled); keys we do not model are left out
 * rather than printed as a made-up 0. With MGLRU, active_* are the two youngest gens and
 * inactive_* the rest (lru_gen_is_active).
 */
export const MEMORY_STAT_KEYS: readonly StatKey[] = [
  { key: 'anon', from: { stat: Stat.anon }, bytes: true, node: true },
  { key: 'file', from: { stat: Stat.file }, bytes: true, node: true },
  { key: 'shmem', from: { folios: 'shmem' }, bytes: true, node: true },
  { key: 'file_mapped', from: { folios: 'file_mapped' }, bytes: true, node: true },
  { key: 'file_dirty', from: { folios: 'file_dirty' }, bytes: true, node: true },
  { key: 'file_writeback', from: { folios: 'file_writeback' }, bytes: true, node: true },
  { key: 'swapcached', from: { folios: 'swapcached' }, bytes: true, node: true },
  { key: 'inactive_anon', from: { lru: LRU_INACTIVE_ANON }, bytes: true, node: true },
  { key: 'active_anon', from: { lru: LRU_ACTIVE_ANON }, bytes: true, node: true },
  { key: 'inactive_file', from: { lru: LRU_INACTIVE_FILE }, bytes: true, node: true },
  { key: 'active_file', from: { lru: LRU_ACTIVE_FILE }, bytes: true, node: true },
  { key: 'unevictable', from: { lru: LRU_UNEVICTABLE }, bytes: true, node: true },
  { key: 'workingset_refault_anon', from: { stat: Stat.workingset_refault_anon }, bytes: false, node: true },
  { key: 'workingset_refault_file', from: { stat: Stat.workingset_refault_file }, bytes: false, node: true },
  { key: 'workingset_activate_anon', from: { stat: Stat.workingset_activate_anon }, bytes: false, node: true },
  { key: 'workingset_activate_file', from: { stat: Stat.workingset_activate_file }, bytes: false, node: true },
  { key: 'workingset_restore_anon', from: { stat: Stat.workingset_restore_anon }, bytes: false, node: true },
  { key: 'workingset_restore_file', from: { stat: Stat.workingset_restore_file }, bytes: false, node: true },
  { key: 'pgscan', from: { stat: Stat.pgscan }, bytes: false, node: false },
  { key: 'pgsteal', from: { stat: Stat.pgsteal }, bytes: false, node: false },
  { key: 'pgscan_kswapd', from: { stat: Stat.pgscan_kswapd }, bytes: false, node: false },
  { key: 'pgscan_direct', from: { stat: Stat.pgscan_direct }, bytes: false, node: false },
  { key: 'pgscan_proactive', from: { stat: Stat.pgscan_proactive }, bytes: false, node: false },
  { key: 'pgsteal_kswapd', from: { stat: Stat.pgsteal_kswapd }, bytes: false, node: false },
  { key: 'pgsteal_direct', from: { stat: Stat.pgsteal_direct }, bytes: false, node: false },
  { key: 'pgsteal_proactive', from: { stat: Stat.pgsteal_proactive }, bytes: false, node: false },
  { key: 'pgfault', from: { stat: Stat.pgfault }, bytes: false, node: false },
  { key: 'pgrefill', from: { stat: Stat.pgrefill }, bytes: false, node: false },
  { key: 'pgactivate', from: { stat: Stat.pgactivate }, bytes: false, node: false },
  { key: 'pgdeactivate', from: { stat: Stat.pgdeactivate }, bytes: false, node: false },
];

/** memory.stat's content: key → value (bytes or a count), in the kernel's order. */
export type StatValues = Record<string, number>;

/**
 * Each live memcg's own values (its descendants' not added), one number per MEMORY_STAT_KEYS
 * entry, in pages or counts. `nid`: that node's share (memory.numa_stat); omitted: all nodes.
 * LRU sizes are per lruvec and folios carry their node; on more than one node anon/file are the
 * node's folios and the workingset counters the node's lruvec_stats (MemcgPerNode.lruvecStat).
 */
export function localStat(s: KernelView, nid?: number): Map<number, number[]> {
  const perNode = nid !== undefined && nrNodes(s) > 1;
  const folios = new Map<number, FolioSizes>();
  const typed = new Map<number, { anon: number; file: number }>();
  for (const f of s.folios.values()) {
    if (nid !== undefined && folioNid(f) !== nid) continue;
    const id = folioMemcgId(s, f) ?? 0;
    let sizes = folios.get(id);
    if (!sizes) {
      sizes = newFolioSizes();
      folios.set(id, sizes);
    }
    addFolio(sizes, f);
    if (perNode) {
      const t = typed.get(id) ?? { anon: 0, file: 0 };
      if (f.file) t.file++;
      else t.anon++;
      typed.set(id, t);
    }
  }
  const out = new Map<number, number[]>();
  for (const m of s.memcgs.values()) {
    const sizes = folios.get(m.id);
    out.set(
      m.id,
      MEMORY_STAT_KEYS.map(({ from }) => {
        if ('folios' in from) return sizes?.[from.folios] ?? 0;
        if ('stat' in from && perNode) return nodeStat(m, nid, from.stat, typed.get(m.id));
        if ('stat' in from) return m.stat[from.stat];
        return lruSize(m, from.lru, nid);
      }),
    );
  }
  return out;
}

/** One node's value of a memcg counter: anon/file by its folios there, the node event counters from its lruvec_stats. */
function nodeStat(m: MemcgView, nid: number, stat: number, typed: { anon: number; file: number } | undefined): number {
  if (stat === Stat.anon) return typed?.anon ?? 0;
  if (stat === Stat.file) return typed?.file ?? 0;
  const k = NODE_EVENT_STATS.indexOf(stat);
  return k < 0 ? 0 : m.nodeinfo[nid].lruvecStat[k];
}

/** lruvec_page_state of one list: one node's lruvec, or summed over nodes. */
function lruSize(m: MemcgView, lru: number, nid?: number): number {
  if (nid !== undefined) return lruvecOf(m, nid).size[lru];
  let n = 0;
  for (const { lruvec } of m.nodeinfo) n += lruvec.size[lru];
  return n;
}

/** Hierarchical values (rstat: each memcg plus its live descendants; freed ones were folded in) of every live memcg. */
export function hierarchicalStat(s: KernelView, local: Map<number, number[]>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const [id, v] of local) out.set(id, [...v]);
  const order = preOrder(s);
  for (let i = order.length - 1; i >= 0; i--) {
    const m = order[i];
    const up = out.get(m.parent);
    if (!up) continue;
    const own = out.get(m.id)!;
    for (let k = 0; k < own.length; k++) up[k] += own[k];
  }
  return out;
}

/** One memcg's vector (pages, counts) as memory.stat's key → value, bytes where the kernel prints bytes. */
export function statValues(v: readonly number[]): StatValues {
  const out: StatValues = {};
  MEMORY_STAT_KEYS.forEach(({ key, bytes }, i) => {
    out[key] = bytes ? v[i] * PAGE_SIZE : v[i];
  });
  return out;
}

/** The sum of the local vectors over a memcg's subtree: its hierarchical values. */
export function subtreeSum(s: KernelView, local: Map<number, number[]>, root: number): number[] {
  const sum = new Array<number>(MEMORY_STAT_KEYS.length).fill(0);
  for (const id of subtreeIds(s, root)) {
    const v = local.get(id)!;
    for (let k = 0; k < sum.length; k++) sum[k] += v[k];
  }
  return sum;
}

/** memory.stat (memory_stat_show): hierarchical values, as data. */
export function readMemoryStat(s: KernelView, m: MemcgView): StatValues {
  return statValues(subtreeSum(s, localStat(s), m.id));
}

/** `key value` lines (memory.stat, memory.events, cgroup.stat): the kernel's flat keyed format. */
export function formatKeyed(v: Record<string, number>): string {
  let out = '';
  for (const k in v) out += `${k} ${v[k]}\n`;
  return out;
}
