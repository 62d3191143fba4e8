import { type Event, LOCK_ORDER_ALL_NODES, LOCK_ORDER_PER_NODE } from '../events.js';
import { splice } from '../reparent.js';
import type { KernelState } from '../state.js';
import { EvolveError } from './error.js';

// evolve() for reparenting: both lruvec locks, the splices made under them, the unlock.

export function spliceEvent(s: KernelState, e: Event): void {
  try {
    splice(s, e.memcg, e.a, e.b);
  } catch (err) {
    throw new EvolveError(e, (err as Error).message);
  }
}

/** b: the lock order (REPARENT_LOCK_ORDERS); it changes what is held, not the state. */
export function reparentLocks(s: KernelState, e: Event): void {
  if (e.b !== LOCK_ORDER_PER_NODE && e.b !== LOCK_ORDER_ALL_NODES) throw new EvolveError(e, `unknown lock order ${e.b}`);
  if (s.reparentLocked.has(e.memcg)) throw new EvolveError(e, `memcg ${e.memcg} is already locked`);
  s.reparentLocked.set(e.memcg, e.a);
}

/** b = 1: dropped to retry (the recheck under the locks failed). */
export function reparentUnlocks(s: KernelState, e: Event): void {
  if (s.reparentLocked.get(e.memcg) !== e.a) throw new EvolveError(e, `memcg ${e.memcg} is not locked`);
  s.reparentLocked.delete(e.memcg);
  if (e.b) s.lab.reparentRetries++;
}
