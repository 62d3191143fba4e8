import { ANON_AND_FILE, MAX_NR_GENS, NR_LRU_LISTS } from '../constants.js';
import { lruGenIndex } from '../mmzone.js';
import { lruvecOf } from '../node.js';
import type { KernelView, ListView, LruvecView, MemcgView } from '../state.js';

/** Every lruvec of the state: each live memcg on each node (for_each_mem_cgroup × for_each_node). */
export function* allLruvecs(s: KernelView): Generator<{ m: MemcgView; nid: number; lv: LruvecView }> {
  for (const m of s.memcgs.values()) {
    for (let nid = 0; nid < s.nodes.length; nid++) yield { m, nid, lv: lruvecOf(m, nid) };
  }
}

export interface ListRef {
  list: ListView;
  /** the folio->list value of a folio on it: classic lru, or lruGenIndex(gen, type) */
  idx: number;
  name: string;
}

/** The lists of one lruvec folios may be on: the classic lists, and under MGLRU the gen lists. */
export function* lruvecLists(s: KernelView, lv: LruvecView): Generator<ListRef> {
  for (let lru = 0; lru < NR_LRU_LISTS; lru++) yield { list: lv.lists[lru], idx: lru, name: `list ${lru}` };
  if (!s.mglru) return;
  for (let type = 0; type < ANON_AND_FILE; type++) {
    for (let gen = 0; gen < MAX_NR_GENS; gen++) {
      const idx = lruGenIndex(gen, type);
      yield { list: lv.lrugen.lists[idx], idx, name: `gen ${gen} type ${type}` };
    }
  }
}
