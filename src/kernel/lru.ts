import { LRU_ACTIVE, LRU_FILE } from './constants.js';
import { listAdd, listAddTail, listDel } from './list.js';
import type { Folio, KernelState, Memcg } from './state.js';
import { folioLruList } from './state.js';

// lruvec_add_folio / lruvec_del_folio for the classic LRU (include/linux/mm_inline.h).
// update_lru_size and list_add always go together, which is invariant 1.

export function lruvecAddFolio(m: Memcg, f: Folio): void {
  const lru = folioLruList(f);
  m.lruvec.size[lru]++;
  listAdd(m.lruvec.lists[lru], f);
}

export function lruvecAddFolioTail(m: Memcg, f: Folio): void {
  const lru = folioLruList(f);
  m.lruvec.size[lru]++;
  listAddTail(m.lruvec.lists[lru], f);
}

export function lruvecDelFolio(m: Memcg, f: Folio): void {
  const lru = folioLruList(f);
  m.lruvec.size[lru]--;
  listDel(m.lruvec.lists[lru], f);
}

/** workingset_age_nonresident(): the lruvec and every ancestor's. */
export function ageNonresident(s: KernelState, m: Memcg, nr: number): void {
  for (let x: Memcg | undefined = m; x; x = s.memcgs.get(x.parent)) x.lruvec.nonresidentAge += nr;
}

export function fileList(active: boolean): number {
  return LRU_FILE + (active ? LRU_ACTIVE : 0);
}
