import type { Event } from '../events.js';
import { ageNonresident, lruvecAddFolio, lruvecDelFolio } from '../lru.js';
import { folioNid, lruvecOf } from '../node.js';
import { Stat } from '../stat.js';
import { folioMemcg, type KernelState } from '../state.js';
import { EvolveError } from './error.js';
import { classicFolio } from './guards.js';

// evolve() for the classic LRU's moves between the active and inactive lists.

/**
 * folio_activate() from folio_mark_accessed(), or activate_locked in reclaim. b: the memcg whose
 * lruvec lock the lru batch took (machine.concurrency.lruBatch); another than the folio's is an
 * operation under the wrong lock (policyOptions.bug=no-recheck), recorded for the invariant: the
 * kernel would move the folio onto that lruvec's list and skew both lruvecs' counters, which the
 * lab does not follow further.
 */
export function activate(s: KernelState, e: Event): void {
  const f = classicFolio(s, e);
  if (f.active) throw new EvolveError(e, `folio ${f.id} is already active`);
  const m = folioMemcg(s, f);
  if (e.b && e.b !== m.id) s.wrongLocks.push({ seq: e.seq, folio: f.id, locked: e.b, owner: m.id });
  const lv = lruvecOf(m, folioNid(f));
  lruvecDelFolio(s, lv, f);
  f.active = true;
  f.referenced = false;
  lruvecAddFolio(s, lv, f);
  m.stat[Stat.pgactivate]++;
  ageNonresident(s, m, folioNid(f), 1); // workingset_activation()
}

/** shrink_active_list(): PG_active cleared, PG_workingset set, to the inactive head. */
export function deactivate(s: KernelState, e: Event): void {
  const f = classicFolio(s, e);
  if (!f.active) throw new EvolveError(e, `folio ${f.id} is not active`);
  const m = folioMemcg(s, f);
  const lv = lruvecOf(m, folioNid(f));
  lruvecDelFolio(s, lv, f);
  f.active = false;
  f.workingset = true;
  lruvecAddFolio(s, lv, f);
  m.stat[Stat.pgdeactivate]++;
}
