import { DEBUG_VM, vmWarn } from './debug.js';
import { listAdd, listAddTail, listDel } from './list.js';
import { lruGenAddFolio, lruGenDelFolio } from './lru_gen.js';
import { lruvecOf } from './node.js';
import type { Folio, KernelState, Lruvec, Memcg } from './state.js';
import { folioLruList } from './state.js';

// lruvec_add_folio / lruvec_del_folio (include/linux/mm_inline.h): MGLRU when enabled, else the
// classic lists. update_lru_size and list_add always go together (invariant 1).

export function lruvecAddFolio(s: KernelState, lv: Lruvec, f: Folio, reclaiming = false): void {
  if (DEBUG_VM.on && f.list !== -1) vmWarn(`lruvec_add_folio: folio ${f.id} is already on LRU list ${f.list}`); // VM_BUG_ON_FOLIO(folio_test_lru)
  if (s.mglru) return lruGenAddFolio(lv, f, reclaiming);
  const lru = folioLruList(f);
  lv.size[lru]++;
  f.list = lru;
  if (reclaiming) listAddTail(lv.lists[lru], f);
  else listAdd(lv.lists[lru], f);
}

export function lruvecDelFolio(s: KernelState, lv: Lruvec, f: Folio, reclaiming = false): void {
  if (s.mglru) return lruGenDelFolio(lv, f, reclaiming);
  const lru = folioLruList(f);
  // its flags must name the list it is on, or the wrong lru size is decremented
  if (DEBUG_VM.on && f.list !== lru) vmWarn(`lruvec_del_folio: folio ${f.id} is on list ${f.list} but its flags say ${lru}`);
  lv.size[lru]--;
  listDel(lv.lists[lru], f);
  f.list = -1;
}

/** workingset_age_nonresident(): the memcg's lruvec on node nid and every ancestor's (parent_lruvec). */
export function ageNonresident(s: KernelState, m: Memcg, nid: number, nr: number): void {
  for (let x: Memcg | undefined = m; x; x = s.memcgs.get(x.parent)) lruvecOf(x, nid).nonresidentAge += nr;
}
