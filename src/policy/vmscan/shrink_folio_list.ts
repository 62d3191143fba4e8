import { ROOT_MEMCG } from '../../kernel/constants.js';
import { E, PUTBACK_ACTIVATE, PUTBACK_DIRTY, PUTBACK_KEEP, PUTBACK_SWAPFULL, PUTBACK_WRITEBACK } from '../../kernel/events.js';
import { type FolioView, folioMemcgId, type KernelView } from '../../kernel/state.js';
import type { Ctx } from '../context.js';
import { unqueueDeferredSplit } from '../deferred_split.js';
import { releaseUnpinned } from '../release.js';
import { canReclaimAnonPages } from './get_scan_count.js';
import type { ScanControl } from './scan_control.js';

export const FOLIOREF_RECLAIM = 0;
export const FOLIOREF_RECLAIM_CLEAN = 1;
export const FOLIOREF_KEEP = 2;
export const FOLIOREF_ACTIVATE = 3;

/**
 * folio_check_references() (mm/vmscan.c). folio_referenced() counts the young PTEs of the
 * folio's mappings (one mapping per folio in this model) and clears them. The mapping of the
 * shared file is a data mapping, not VM_EXEC. Classic: young → PG_referenced set, ACTIVATE if it
 * was already referenced, else KEEP; not young → RECLAIM_CLEAN for a referenced file folio,
 * else RECLAIM. MGLRU: not young → RECLAIM; young → lru_gen_set_refs(): ACTIVATE if
 * PG_referenced or PG_workingset was already set, else KEEP.
 */
export function folioCheckReferences(s: KernelView, f: FolioView): number {
  const referencedPtes = f.mapped && f.young ? 1 : 0;
  if (s.mglru) {
    if (!referencedPtes) return FOLIOREF_RECLAIM;
    return f.referenced || f.workingset ? FOLIOREF_ACTIVATE : FOLIOREF_KEEP;
  }
  if (referencedPtes) return f.referenced || referencedPtes > 1 ? FOLIOREF_ACTIVATE : FOLIOREF_KEEP;
  return f.referenced && f.file ? FOLIOREF_RECLAIM_CLEAN : FOLIOREF_RECLAIM;
}

/** What shrink_folio_list() did with a list of isolated folios. */
export interface FolioListStat {
  reclaimed: number;
  /** nr_pageout: folios written out by reclaim (swap) */
  pageout: number;
  /** nr_unqueued_dirty: dirty file folios not yet under writeback */
  unqueuedDirty: number;
  /** nr_taken of file folios */
  fileTaken: number;
}

/**
 * mem_cgroup_id_get_online() (mem_cgroup_private_id_get_online() in 7.1): the memcg itself or the
 * nearest ancestor whose ID still has refs (refcount_inc_not_zero(&memcg->id.ref)). The ID of a
 * dying memcg lives on while swap entries hold it, so a dying memcg that already pins swap
 * collects more; one whose ID is gone passes the entry up.
 */
export function memcgIdGetOnline(s: KernelView, memcg: number): number {
  for (let m = s.memcgs.get(memcg); m; m = s.memcgs.get(m.parent)) if (m.idRef > 0) return m.id;
  return ROOT_MEMCG;
}

/**
 * shrink_folio_list() for folios isolated from one memcg's list, in the kernel's order:
 * writeback → references → anon: allocate swap (folio_alloc_swap), unmap and pageout (swap
 * writeout starts; the folio stays in the swap cache until it completes) → unmap a mapped file
 * folio → dirty file: PG_reclaim and activate (reclaim never writes filesystem folios in the
 * newest tree: pageout() returns PAGE_ACTIVATE for them) → a clean folio is freed (__remove_mapping).
 */
export function shrinkFolioList(ctx: Ctx, folios: readonly FolioView[], sc: ScanControl): FolioListStat {
  const st: FolioListStat = { reclaimed: 0, pageout: 0, unqueuedDirty: 0, fileTaken: 0 };
  for (const f of folios) {
    if (f.file) {
      st.fileTaken++;
      if (f.dirty && !f.writeback) st.unqueuedDirty++; // folio_check_dirty_writeback()
    }
    if (f.writeback) {
      ctx.emit(E.putback(f.id, PUTBACK_WRITEBACK));
      continue;
    } // case 2: PG_reclaim, activate
    const ref = folioCheckReferences(ctx.s, f);
    if (ref === FOLIOREF_ACTIVATE) {
      ctx.emit(E.putback(f.id, PUTBACK_ACTIVATE));
      continue;
    }
    if (ref === FOLIOREF_KEEP) {
      ctx.emit(E.putback(f.id, PUTBACK_KEEP));
      continue;
    }
    if (!f.file && !f.swapcache) {
      if (!sc.maySwap || !canReclaimAnonPages(ctx.s)) {
        ctx.emit(E.putback(f.id, PUTBACK_SWAPFULL));
        continue;
      }
      ctx.emit(E.swapOut(f.id, memcgIdGetOnline(ctx.s, folioMemcgId(ctx.s, f)!)));
      st.pageout++;
      continue; // PAGE_SUCCESS with the write in flight: keep (back to the LRU)
    }
    if (f.file && f.dirty) {
      ctx.emit(E.putback(f.id, PUTBACK_DIRTY));
      continue;
    }
    if (f.mapped) ctx.emit(E.folioUnmap(f.id)); // try_to_unmap()
    const owner = f.owner;
    const fm = folioMemcgId(ctx.s, f)!;
    unqueueDeferredSplit(ctx, f.id);
    ctx.emit(E.evict(f.id, sc.target, fm, sc.reclaimer));
    st.reclaimed++;
    releaseUnpinned(ctx, fm, owner);
  }
  return st;
}
