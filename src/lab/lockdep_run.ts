import { EventType, LOCK_ORDER_PER_NODE } from '../kernel/events.js';
import { lockSequence, splitQueueLockSequence } from '../kernel/lock_order.js';
import { Lockdep, type LockdepReport } from '../kernel/lockdep.js';
import { nidOf, withoutNid } from '../kernel/node.js';
import type { Store } from '../store/db.js';
import { readEventsOfTypes } from '../store/reader.js';

export interface LockdepResult {
  /** reparent steps whose locks were checked (reparent_locks events) */
  steps: number;
  nodes: number;
  reports: LockdepReport[];
  /** the lock-class dependencies the run established, "A -> B" */
  dependencies: string[];
}

/**
 * The lockdep-style check of one run: every reparent_locks record in log order, expanded to the
 * locks it holds (lockSequence: 7.1 takes one node's pair with subclasses 1 and 2; v1 took every
 * node's pair at once with subclasses 0..2N-1), fed to the validator. Reads only the machine and
 * reparent_locks rows; nothing is folded.
 */
export function lockdepRun(store: Store, run: number): LockdepResult {
  const dep = new Lockdep();
  let nodes = 1;
  let steps = 0;
  for (const e of readEventsOfTypes(store, run, [EventType.machine, EventType.reparent_locks, EventType.split_queue_reparent])) {
    if (e.type === EventType.machine) {
      nodes = nidOf(e.b) + 1; // machine.b: flags + 256 × (nodes - 1)
      continue;
    }
    if (e.type === EventType.split_queue_reparent) {
      // thpSplitQueue runs: the child's then the parent's split_queue_lock (not a reparent step of the LRU)
      dep.acquireAll(e.seq, splitQueueLockSequence(e.memcg, e.a));
      continue;
    }
    steps++;
    const order = withoutNid(e.b);
    const nids = order === LOCK_ORDER_PER_NODE ? [nidOf(e.b)] : Array.from({ length: nodes }, (_, i) => i);
    dep.acquireAll(e.seq, lockSequence(order, e.memcg, e.a, nids));
  }
  return { steps, nodes, reports: dep.reports, dependencies: dep.dependencies() };
}
