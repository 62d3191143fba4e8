import { type Event, LOCK_ORDER_ALL_NODES, LOCK_ORDER_PER_NODE } from '../events.js';
import { nidOf, withoutNid } from '../node.js';
import { SPLICE_NID_UNIT, splice } from '../reparent.js';
import type { KernelState } from '../state.js';
import { EvolveError } from './error.js';

// evolve() for reparenting: both lruvec locks, the splices made under them, the unlock.

export function spliceEvent(s: KernelState, e: Event): void {
  try {
    splice(s, e.memcg, e.a, e.b % SPLICE_NID_UNIT, Math.floor(e.b / SPLICE_NID_UNIT));
  } catch (err) {
    throw new EvolveError(e, (err as Error).message);
  }
}

/** b: the lock order (REPARENT_LOCK_ORDERS) + 256 × the node whose locks are taken; it changes what is held, not the state. */
export function reparentLocks(s: KernelState, e: Event): void {
  const order = withoutNid(e.b);
  if (order !== LOCK_ORDER_PER_NODE && order !== LOCK_ORDER_ALL_NODES) throw new EvolveError(e, `unknown lock order ${order}`);
  if (s.reparentLocked.has(e.memcg)) throw new EvolveError(e, `memcg ${e.memcg} is already locked`);
  if (!s.nodes[nidOf(e.b)]) throw new EvolveError(e, `no node ${nidOf(e.b)}`);
  s.reparentLocked.set(e.memcg, e.a);
}

/** b & 1: dropped to retry (the recheck under the locks failed); b's high bits: the node. */
export function reparentUnlocks(s: KernelState, e: Event): void {
  if (s.reparentLocked.get(e.memcg) !== e.a) throw new EvolveError(e, `memcg ${e.memcg} is not locked`);
  s.reparentLocked.delete(e.memcg);
  if (withoutNid(e.b)) s.lab.reparentRetries++;
}
