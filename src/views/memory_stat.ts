import { LRU_ACTIVE_ANON, LRU_ACTIVE_FILE, LRU_INACTIVE_ANON, LRU_INACTIVE_FILE, LRU_UNEVICTABLE, PAGE_SIZE } from '../kernel/constants.js';
import { type FolioSizes, folioSizes, Stat } from '../kernel/stat.js';
import type { KernelView, MemcgView } from '../kernel/state.js';
import { subtree } from '../kernel/tree.js';

type Source = { stat: number } | { lru: number } | { folios: keyof FolioSizes };

/**
 * The keys we model, in the order memory_stat_format() prints them (memory_stats[], then the
 * accumulated pgscan/pgsteal, then memcg_vm_event_stat[]: pgscan_kswapd/direct/proactive and
 * pgsteal_* as 6.18 prints them; khugepaged is not modelled); keys we do not model are left out
 * rather than printed as a made-up 0. `bytes`: a page count the kernel prints × PAGE_SIZE.
 * With MGLRU, active_* are the two youngest gens and inactive_* the rest (lru_gen_is_active).
 */
const KEYS: { key: string; from: Source; bytes: boolean }[] = [
  { key: 'anon', from: { stat: Stat.anon }, bytes: true },
  { key: 'file', from: { stat: Stat.file }, bytes: true },
  { key: 'file_mapped', from: { folios: 'file_mapped' }, bytes: true },
  { key: 'file_dirty', from: { folios: 'file_dirty' }, bytes: true },
  { key: 'file_writeback', from: { folios: 'file_writeback' }, bytes: true },
  { key: 'swapcached', from: { folios: 'swapcached' }, bytes: true },
  { key: 'inactive_anon', from: { lru: LRU_INACTIVE_ANON }, bytes: true },
  { key: 'active_anon', from: { lru: LRU_ACTIVE_ANON }, bytes: true },
  { key: 'inactive_file', from: { lru: LRU_INACTIVE_FILE }, bytes: true },
  { key: 'active_file', from: { lru: LRU_ACTIVE_FILE }, bytes: true },
  { key: 'unevictable', from: { lru: LRU_UNEVICTABLE }, bytes: true },
  { key: 'workingset_refault_anon', from: { stat: Stat.workingset_refault_anon }, bytes: false },
  { key: 'workingset_refault_file', from: { stat: Stat.workingset_refault_file }, bytes: false },
  { key: 'workingset_activate_anon', from: { stat: Stat.workingset_activate_anon }, bytes: false },
  { key: 'workingset_activate_file', from: { stat: Stat.workingset_activate_file }, bytes: false },
  { key: 'workingset_restore_anon', from: { stat: Stat.workingset_restore_anon }, bytes: false },
  { key: 'workingset_restore_file', from: { stat: Stat.workingset_restore_file }, bytes: false },
  { key: 'pgscan', from: { stat: Stat.pgscan }, bytes: false },
  { key: 'pgsteal', from: { stat: Stat.pgsteal }, bytes: false },
  { key: 'pgscan_kswapd', from: { stat: Stat.pgscan_kswapd }, bytes: false },
  { key: 'pgscan_direct', from: { stat: Stat.pgscan_direct }, bytes: false },
  { key: 'pgscan_proactive', from: { stat: Stat.pgscan_proactive }, bytes: false },
  { key: 'pgsteal_kswapd', from: { stat: Stat.pgsteal_kswapd }, bytes: false },
  { key: 'pgsteal_direct', from: { stat: Stat.pgsteal_direct }, bytes: false },
  { key: 'pgsteal_proactive', from: { stat: Stat.pgsteal_proactive }, bytes: false },
  { key: 'pgfault', from: { stat: Stat.pgfault }, bytes: false },
  { key: 'pgrefill', from: { stat: Stat.pgrefill }, bytes: false },
  { key: 'pgactivate', from: { stat: Stat.pgactivate }, bytes: false },
  { key: 'pgdeactivate', from: { stat: Stat.pgdeactivate }, bytes: false },
];

/** lruvec_page_state summed over nodes: the memcg's pages on one LRU list. */
function lruSize(m: MemcgView, lru: number): number {
  let n = 0;
  for (const { lruvec } of m.nodeinfo) n += lruvec.size[lru];
  return n;
}

/** memory.stat: hierarchical values (rstat sums over the subtree, freed children folded in), flat `key value` lines. */
export function renderMemoryStat(s: KernelView, m: MemcgView): string {
  const tree = subtree(s, m.id);
  const sizes = folioSizes(s, new Set(tree.map((x) => x.id)));
  let out = '';
  for (const { key, from, bytes } of KEYS) {
    let v = 0;
    if ('folios' in from) v = sizes[from.folios];
    else for (const x of tree) v += 'stat' in from ? x.stat[from.stat] : lruSize(x, from.lru);
    out += `${key} ${bytes ? v * PAGE_SIZE : v}\n`;
  }
  return out;
}
