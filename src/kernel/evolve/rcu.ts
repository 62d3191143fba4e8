import type { Event } from '../events.js';
import { folioMemcgId, getFolio, type KernelState } from '../state.js';
import { EvolveError } from './error.js';

// evolve() for what tasks beside the workload do between their steps (machine.concurrency): RCU
// read sections, a dereference of a memcg read from a folio earlier, folio_lruvec_lock's retry.

export function rcuReadLock(s: KernelState, _e: Event): void {
  s.rcuReaders++;
}

export function rcuReadUnlock(s: KernelState, e: Event): void {
  if (s.rcuReaders <= 0) throw new EvolveError(e, 'rcu_read_unlock without rcu_read_lock');
  s.rcuReaders--;
}

/**
 * The reader uses the memcg it took from the folio: fine while the memcg lives (dying is fine:
 * page_cgroup_ino walks up to an online ancestor). A freed one is a use after free: the kernel
 * would read freed memory; the lab records it and the use-after-free invariant reports it.
 */
export function memcgDeref(s: KernelState, e: Event): void {
  // the folio itself may be gone by now ("page_folio() is racy here, but the entire function is
  // racy anyway"): only the memcg pointer is used
  if (!s.memcgs.has(e.memcg)) s.freedReads.push({ seq: e.seq, memcg: e.memcg, folio: e.folio });
}

/** folio_lruvec_lock()'s recheck failed: the folio's memcg is not the one whose lruvec was locked (nothing changes). */
export function lruvecLockRetry(s: KernelState, e: Event): void {
  const f = getFolio(s, e.folio);
  if (folioMemcgId(s, f) === e.memcg) throw new EvolveError(e, `folio ${f.id} is on memcg ${e.memcg}'s lruvec: no retry is needed`);
}
