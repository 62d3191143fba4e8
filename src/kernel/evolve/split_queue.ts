import type { Event } from '../events.js';
import { type KernelState, MEMCG_ONLINE, type SplitQueue } from '../state.js';
import { EvolveError } from './error.js';

// evolve() for the THP deferred split queue (mm/huge_memory.c, machine.concurrency.thpSplitQueue).
// The queue a folio joins or leaves is the one whose split_queue_lock the decider took: the events
// name it, evolve does not re-derive it (a task that locked the wrong queue is what the
// split-queue-no-recheck bug is about, and the split-queue invariant judges the result).

/** memcg->deferred_split_queue, made on first use (an entry in KernelState.splitQueues). */
export function splitQueueOf(s: KernelState, memcg: number): SplitQueue {
  let q = s.splitQueues.get(memcg);
  if (!q) {
    q = { len: 0, folios: [], reparented: false };
    s.splitQueues.set(memcg, q);
  }
  return q;
}

/** The memcg whose split queue list holds `folio` (its folio->_deferred_list is linked there), or undefined. */
export function queuedOn(s: { readonly splitQueues: ReadonlyMap<number, { readonly folios: readonly number[] }> }, folio: number) {
  for (const [memcg, q] of s.splitQueues) if (q.folios.includes(folio)) return memcg;
  return undefined;
}

/** deferred_split_folio(): list_add_tail(&folio->_deferred_list, &ds_queue->split_queue); split_queue_len++. */
export function deferredSplitQueue(s: KernelState, e: Event): void {
  if (!s.folios.has(e.folio)) throw new EvolveError(e, `folio ${e.folio} is not live`);
  if (queuedOn(s, e.folio) !== undefined) throw new EvolveError(e, `folio ${e.folio} is already on a deferred split queue`);
  const q = splitQueueOf(s, e.memcg);
  q.folios.push(e.folio);
  q.len++;
}

/** split_queue_lock()'s recheck found the memcg dying: it unlocks and retries with the parent (nothing changes). */
export function splitQueueLockRetry(s: KernelState, e: Event): void {
  const m = s.memcgs.get(e.memcg);
  if (m && m.state === MEMCG_ONLINE) throw new EvolveError(e, `memcg ${e.memcg} is online: split_queue_lock() does not retry`);
}

/**
 * reparent_deferred_split_queue(): with both split_queue_locks held, list_splice_tail_init() of
 * the child's queue onto the parent's, split_queue_len moved (set_shrinker_bit for the parent on
 * every node: the lab's reclaim has no THP shrinker to wake). Nothing may join the child's since.
 */
export function splitQueueReparent(s: KernelState, e: Event): void {
  const child = splitQueueOf(s, e.memcg);
  if (child.len !== e.b) throw new EvolveError(e, `memcg ${e.memcg}'s split_queue_len is ${child.len}, not ${e.b}`);
  const parent = splitQueueOf(s, e.a);
  parent.folios.push(...child.folios);
  parent.len += child.len;
  child.folios = [];
  child.len = 0;
  child.reparented = true;
}

/**
 * __folio_unqueue_deferred_split(): list_del_init(&folio->_deferred_list) — from whatever list it
 * is linked on — and split_queue_len-- of the queue whose lock was taken (e.memcg). When those
 * differ (a folio queued under the wrong lock), the lengths go wrong: the kernel's counter bug.
 */
export function deferredSplitUnqueue(s: KernelState, e: Event): void {
  const on = queuedOn(s, e.folio);
  if (on === undefined) throw new EvolveError(e, `folio ${e.folio} is not on a deferred split queue`);
  const list = s.splitQueues.get(on)!.folios;
  list.splice(list.indexOf(e.folio), 1);
  splitQueueOf(s, e.memcg).len--;
}

/** css_free: an empty queue goes with its memcg (a non-empty one stays, for the invariant to report). */
export function dropSplitQueue(s: KernelState, memcg: number): void {
  const q = s.splitQueues.get(memcg);
  if (q && q.len === 0 && q.folios.length === 0) s.splitQueues.delete(memcg);
}
