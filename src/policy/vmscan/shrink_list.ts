import { LRU_FILE } from '../../kernel/constants.js';
import { E, SCAN_RECLAIMER } from '../../kernel/events.js';
import { withNid } from '../../kernel/node.js';
import type { FolioView, KernelView, LruvecView, MemcgView } from '../../kernel/state.js';
import type { Ctx } from '../context.js';
import { wakeupFlusherThreads } from '../writeback.js';
import type { ScanControl } from './scan_control.js';
import { shrinkFolioList } from './shrink_folio_list.js';

/** can_age_anon_pages(): aging the anon LRU is worth it when swap is present (no demotion here). */
export function canAgeAnonPages(s: KernelView): boolean {
  return s.vm.swapPages > 0;
}

function isolateFromTail(lv: LruvecView, lru: number, n: number): FolioView[] {
  const out: FolioView[] = [];
  for (let f = lv.lists[lru].tail; f && out.length < n; f = f.prev) out.push(f);
  return out;
}

/**
 * shrink_inactive_list() (mm/vmscan.c): isolate from the tail (pgscan and pgscan_<reclaimer>),
 * shrink_folio_list(), wake the flushers when every folio taken was dirty and not yet queued,
 * and lru_note_cost(nr_pageout, nr_scanned - nr_reclaimed) for the type.
 */
export function shrinkInactiveList(ctx: Ctx, m: MemcgView, lv: LruvecView, lru: number, n: number, sc: ScanControl): number {
  const isolated = isolateFromTail(lv, lru, n);
  if (!isolated.length) return 0;
  ctx.emit(E.scan(m.id, lru + SCAN_RECLAIMER * sc.reclaimer, isolated.length));
  sc.nrScanned += isolated.length;
  const st = shrinkFolioList(ctx, isolated, sc);
  if (st.unqueuedDirty && st.unqueuedDirty === isolated.length) wakeupFlusherThreads(ctx);
  const cost = st.pageout * 32 + (isolated.length - st.reclaimed);
  if (cost > 0 && ctx.s.memcgs.has(m.id)) ctx.emit(E.lruNoteCost(m.id, withNid(lru & LRU_FILE ? 1 : 0, sc.nid), cost));
  return st.reclaimed;
}

/**
 * shrink_active_list(): isolate from the active tail (pgrefill); folio_referenced() clears the
 * young PTEs, and only a referenced VM_EXEC file folio would stay active (none is modelled), so
 * every folio is deactivated (PG_workingset set, inactive head). nr_rotated is 0: no cost noted.
 */
export function shrinkActiveList(ctx: Ctx, m: MemcgView, lv: LruvecView, lru: number, n: number, sc: ScanControl): void {
  const isolated = isolateFromTail(lv, lru, n);
  if (!isolated.length) return;
  ctx.emit(E.scan(m.id, lru + SCAN_RECLAIMER * sc.reclaimer, isolated.length));
  for (const f of isolated) ctx.emit(E.deactivate(f.id));
}
