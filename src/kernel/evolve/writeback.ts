import { type Event, PUTBACK_ACTIVATE, PUTBACK_DIRTY, PUTBACK_KEEP, PUTBACK_SWAPFULL, PUTBACK_WRITEBACK } from '../events.js';
import { ageNonresident, lruvecAddFolio, lruvecDelFolio } from '../lru.js';
import { lruGenFolioSeq } from '../lru_gen.js';
import { folioLruvec, folioNid } from '../node.js';
import { Stat } from '../stat.js';
import { type Folio, folioMemcg, getFolio, type KernelState } from '../state.js';
import { EvolveError } from './error.js';

// evolve() for mappings, dirty pages, writeback and what shrink_folio_list() puts back.

/** A fault maps a cached file folio (folio_add_file_rmap): the new PTE is young. */
export function folioMap(s: KernelState, e: Event): void {
  const f = getFolio(s, e.folio);
  if (!f.file || f.mapped) throw new EvolveError(e, `folio ${f.id} is not an unmapped file folio`);
  f.mapped = true;
  f.young = true;
  f.lastAccess = s.tick;
  folioMemcg(s, f).stat[Stat.pgfault]++;
}

/** zap_pte_range() at exit: the mapping goes (a young PTE is passed on by a folio_mark_accessed the decider emits). */
export function folioUnmap(s: KernelState, e: Event): void {
  const f = getFolio(s, e.folio);
  if (!f.mapped) throw new EvolveError(e, `folio ${f.id} is not mapped`);
  f.mapped = false;
  f.young = false;
}

/** The flusher (wb_writeback of expired inodes): PG_dirty → PG_writeback. */
export function writebackStart(s: KernelState, e: Event): void {
  const f = getFolio(s, e.folio);
  if (!f.dirty || f.writeback) throw new EvolveError(e, `folio ${f.id} is not dirty or already under writeback`);
  f.dirty = false;
  f.writeback = true;
  s.dirtyQueue.delete(f.id);
  s.writebackQueue.set(f.id, s.tick);
}

/**
 * folio_end_writeback(): `if (folio_test_reclaim(folio)) { folio_clear_reclaim(folio);
 * folio_rotate_reclaimable(folio); }` — the folio (activated by reclaim) goes to the inactive
 * tail (lru_move_tail: PG_active cleared; MGLRU: lru_gen_add_folio(reclaiming) → oldest gen tail).
 */
export function writebackEnd(s: KernelState, e: Event): void {
  const f = getFolio(s, e.folio);
  if (!f.writeback) throw new EvolveError(e, `folio ${f.id} is not under writeback`);
  f.writeback = false;
  s.writebackQueue.delete(f.id);
  if (!f.reclaim) return;
  f.reclaim = false;
  if (f.dirty || f.list < 0) return; // folio_rotate_reclaimable() returns for dirty or !lru folios
  const lv = folioLruvec(s, f);
  lruvecDelFolio(s, lv, f, true);
  f.active = false;
  lruvecAddFolio(s, lv, f, true);
  folioMemcg(s, f).stat[Stat.pgrotated]++;
}

/**
 * shrink_folio_list() puts an isolated folio back (move_folios_to_lru, at the head of the list
 * its flags name). Each reason is a path through shrink_folio_list:
 * - KEEP / ACTIVATE: folio_check_references() found a young PTE (cleared; PG_referenced set);
 * - DIRTY: references said reclaim, but it is a dirty file folio: PG_reclaim, activate_locked;
 * - WRITEBACK: under writeback (case 2): PG_reclaim, activate_locked;
 * - SWAPFULL: anon with no free swap slot: activate_locked.
 */
export function putback(s: KernelState, e: Event): void {
  const f = getFolio(s, e.folio);
  if (f.list < 0) throw new EvolveError(e, `folio ${f.id} is not on an LRU`);
  const lv = folioLruvec(s, f);
  const m = folioMemcg(s, f);
  lruvecDelFolio(s, lv, f, true);
  let activate = true;
  switch (e.a) {
    case PUTBACK_KEEP:
      f.young = false;
      f.referenced = true;
      activate = false;
      break;
    case PUTBACK_ACTIVATE:
      f.young = false;
      f.referenced = true;
      if (s.mglru) f.workingset = true; // lru_gen_set_refs(): the second sighting sets PG_workingset
      break;
    case PUTBACK_DIRTY:
      if (!f.dirty || !f.file) throw new EvolveError(e, `folio ${f.id} is not a dirty file folio`);
      consumeReferences(s, f);
      f.reclaim = true;
      break;
    case PUTBACK_WRITEBACK:
      if (!f.writeback) throw new EvolveError(e, `folio ${f.id} is not under writeback`);
      f.reclaim = true;
      break;
    case PUTBACK_SWAPFULL:
      if (f.file) throw new EvolveError(e, `folio ${f.id} is not anon`);
      consumeReferences(s, f);
      break;
    default:
      throw new EvolveError(e, `bad putback reason ${e.a}`);
  }
  if (activate) {
    f.active = true; // activate_locked: folio_set_active(), PGACTIVATE
    m.stat[Stat.pgactivate]++;
  } else if (s.mglru) dontAddToOldest(s, f);
  if (f.active) ageNonresident(s, m, folioNid(f), 1); // move_folios_to_lru(): workingset_age_nonresident()
  lruvecAddFolio(s, lv, f);
}

/** folio_check_references() answered RECLAIM(_CLEAN): the young bit (none) and PG_referenced are consumed. */
function consumeReferences(s: KernelState, f: Folio): void {
  f.young = false;
  if (!s.mglru) f.referenced = false;
}

/** evict_folios(): "don't add rejected folios to the oldest generation" — PG_active if it would land there. */
export function dontAddToOldest(s: KernelState, f: Folio): void {
  const g = folioLruvec(s, f).lrugen;
  if (lruGenFolioSeq(g, f, false, false) === g.minSeq[f.file ? 1 : 0]) f.active = true;
}
