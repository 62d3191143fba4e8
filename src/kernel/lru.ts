import { listAdd, listAddTail, listDel } from './list.js';
import { lruGenAddFolio, lruGenDelFolio } from './lru_gen.js';
import type { Folio, KernelState, Memcg } from './state.js';
import { folioLruList } from './state.js';

// lruvec_add_folio / lruvec_del_folio (include/linux/mm_inline.h): MGLRU when enabled, else the
// classic lists. update_lru_size and list_add always go together (invariant 1).

export function lruvecAddFolio(s: KernelState, m: Memcg, f: Folio, reclaiming = false): void {
  if (s.mglru) return lruGenAddFolio(m.lruvec, f, reclaiming);
  const lru = folioLruList(f);
  m.lruvec.size[lru]++;
  f.list = lru;
  if (reclaiming) listAddTail(m.lruvec.lists[lru], f);
  else listAdd(m.lruvec.lists[lru], f);
}

export function lruvecDelFolio(s: KernelState, m: Memcg, f: Folio, reclaiming = false): void {
  if (s.mglru) return lruGenDelFolio(m.lruvec, f, reclaiming);
  const lru = folioLruList(f);
  m.lruvec.size[lru]--;
  listDel(m.lruvec.lists[lru], f);
  f.list = -1;
}

/** workingset_age_nonresident(): the lruvec and every ancestor's. */
export function ageNonresident(s: KernelState, m: Memcg, nr: number): void {
  for (let x: Memcg | undefined = m; x; x = s.memcgs.get(x.parent)) x.lruvec.nonresidentAge += nr;
}

