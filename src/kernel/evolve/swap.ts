import type { Event } from '../events.js';
import { lruvecAddFolio, lruvecDelFolio } from '../lru.js';
import { folioLruvec } from '../node.js';
import { Stat } from '../stat.js';
import { folioMemcg, getFolio, getMemcg, type KernelState, type Memcg } from '../state.js';
import { EvolveError } from './error.js';
import { dontAddToOldest } from './writeback.js';

// evolve() for swap: the entry, its charge to memcg->swap and the memcg ID it holds (mm/memcontrol.c).

/**
 * shrink_folio_list() for an anon folio: folio_alloc_swap() → __mem_cgroup_try_charge_swap()
 * (mem_cgroup_id_get_online(): the nearest ID that still has refs, one ref per entry; the
 * swap page counter of it and its ancestors), then try_to_unmap() and pageout() → swap_writeout():
 * PG_reclaim, writeback. The folio stays on the LRU in the swap cache until the write completes.
 */
export function swapOut(s: KernelState, e: Event): void {
  const f = getFolio(s, e.folio);
  if (f.file || f.swapcache) throw new EvolveError(e, `folio ${f.id} is not anon or shmem outside the swap cache`);
  if (s.swapEntries.size >= s.vm.swapPages) throw new EvolveError(e, `no free swap slot (${s.vm.swapPages} pages)`);
  const holder = getMemcg(s, e.memcg);
  if (holder.idRef <= 0) throw new EvolveError(e, `${holder.path} has no ID to take a ref on`);
  holder.idRef++;
  for (let x: Memcg | undefined = holder; x; x = s.memcgs.get(x.parent)) x.swap++;
  s.swapEntries.set(f.id, holder.id);
  f.swapcache = true;
  f.mapped = false;
  f.young = false;
  f.writeback = true;
  f.reclaim = true;
  s.writebackQueue.set(f.id, s.tick);
  // keep: back to the LRU head (move_folios_to_lru), never into the oldest MGLRU gen
  const lv = folioLruvec(s, f);
  lruvecDelFolio(s, lv, f, true);
  if (s.mglru) dontAddToOldest(s, f);
  lruvecAddFolio(s, lv, f);
  folioMemcg(s, f).stat[Stat.pswpout]++;
}

/**
 * A swap entry freed (exit zaps its PTE, or the folio leaves the swap cache):
 * __mem_cgroup_uncharge_swap() and mem_cgroup_id_put(): the last ID ref drops the css ref it held.
 */
export function swapFree(s: KernelState, e: Event): void {
  const id = s.swapEntries.get(e.folio);
  if (id === undefined) throw new EvolveError(e, `no swap entry for folio ${e.folio}`);
  const holder = getMemcg(s, id);
  s.swapEntries.delete(e.folio);
  for (let x: Memcg | undefined = holder; x; x = s.memcgs.get(x.parent)) x.swap--;
  const f = s.folios.get(e.folio);
  if (f) f.swapcache = false;
  memcgIdPut(holder);
}

/** mem_cgroup_id_put_many(): at 0 the ID is removed and the css ref the ID held is dropped. */
export function memcgIdPut(m: Memcg): void {
  m.idRef--;
  if (m.idRef === 0) m.cssRefs--;
}
