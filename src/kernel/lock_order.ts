import { LOCK_ORDER_ALL_NODES, LOCK_ORDER_PER_NODE } from './event_values.js';

// The locks one reparent step holds, in the order it takes them, as reparent_locks.b records it
// (memcg_reparent_objcgs → reparent_locks(); a later lockdep-style check reads this). The unlock
// (reparent_unlocks) drops them in the reverse order.

export interface HeldLock {
  /** objcg_lock (global spinlock, IRQs off), a memcg's lruvec->lru_lock on one node, or its deferred_split_queue's lock */
  readonly lock: 'objcg_lock' | 'lru_lock' | 'split_queue_lock';
  /** lru_lock: whose lruvec */
  readonly memcg?: number;
  readonly nid?: number;
  /** the lockdep subclass of spin_lock_nested (objcg_lock: 0) */
  readonly subclass: number;
}

/**
 * lockSequence(order, child, parent, nids): 7.1 (LOCK_ORDER_PER_NODE, v5+) takes objcg_lock, the
 * child's lru_lock with subclass 1 and the parent's with subclass 2 on one node (`nids` has one
 * entry); v1 (LOCK_ORDER_ALL_NODES) took objcg_lock, then for every node the child's and the
 * parent's lru_lock with subclass nest++ (0..2N-1). While events carry no node, `nids` is
 * [EVENT_NID].
 */
export function lockSequence(order: number, child: number, parent: number, nids: readonly number[]): HeldLock[] {
  const out: HeldLock[] = [{ lock: 'objcg_lock', subclass: 0 }];
  if (order === LOCK_ORDER_PER_NODE) {
    if (nids.length !== 1) throw new Error('a per-node reparent step holds one node');
    out.push({ lock: 'lru_lock', memcg: child, nid: nids[0], subclass: 1 });
    out.push({ lock: 'lru_lock', memcg: parent, nid: nids[0], subclass: 2 });
    return out;
  }
  if (order !== LOCK_ORDER_ALL_NODES) throw new Error(`unknown reparent lock order ${order}`);
  let nest = 0;
  for (const nid of nids) {
    out.push({ lock: 'lru_lock', memcg: child, nid, subclass: nest++ });
    out.push({ lock: 'lru_lock', memcg: parent, nid, subclass: nest++ });
  }
  return out;
}

/** The sequence as one line, e.g. `objcg_lock, lru_lock(7,N0)/1, lru_lock(2,N0)/2`. */
export function formatLockSequence(locks: readonly HeldLock[]): string {
  return locks
    .map((l) =>
      l.lock === 'objcg_lock'
        ? l.lock
        : l.lock === 'split_queue_lock'
          ? `split_queue_lock(${l.memcg})/${l.subclass}`
          : `lru_lock(${l.memcg},N${l.nid})/${l.subclass}`,
    )
    .join(', ');
}

/**
 * reparent_deferred_split_queue(): spin_lock_irq(&child->split_queue_lock), then
 * spin_lock_nested(&parent->split_queue_lock, SINGLE_DEPTH_NESTING) (split_queue_reparent).
 */
export function splitQueueLockSequence(child: number, parent: number): HeldLock[] {
  return [
    { lock: 'split_queue_lock', memcg: child, subclass: 0 },
    { lock: 'split_queue_lock', memcg: parent, subclass: 1 },
  ];
}
