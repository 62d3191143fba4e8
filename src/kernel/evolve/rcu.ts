import type { Event } from '../events.js';
import type { KernelState } from '../state.js';
import { EvolveError } from './error.js';

// evolve() for the RCU read sections of tasks beside the workload, and for a task's dereference
// of a memcg it read from a folio earlier (machine.concurrency.cgroupReader).

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
