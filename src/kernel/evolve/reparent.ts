import type { Event } from '../events.js';
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

export function reparentLocks(s: KernelState, e: Event): void {
  if (s.reparentLocked.has(e.memcg)) throw new EvolveError(e, `memcg ${e.memcg} is already locked`);
  s.reparentLocked.set(e.memcg, e.a);
}

/** b = 1: dropped to retry (the recheck under the locks failed). */
export function reparentUnlocks(s: KernelState, e: Event): void {
  if (s.reparentLocked.get(e.memcg) !== e.a) throw new EvolveError(e, `memcg ${e.memcg} is not locked`);
  s.reparentLocked.delete(e.memcg);
  if (e.b) s.lab.reparentRetries++;
}
