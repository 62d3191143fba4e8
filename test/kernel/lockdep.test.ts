import { describe, expect, it } from 'vitest';
import { LOCK_ORDER_ALL_NODES, LOCK_ORDER_PER_NODE } from '../../src/kernel/events.js';
import { type HeldLock, lockSequence } from '../../src/kernel/lock_order.js';
import { Lockdep, MAX_LOCK_DEPTH, MAX_LOCKDEP_SUBCLASSES } from '../../src/kernel/lockdep.js';

// The lockdep-style check over the reparent lock-order record (issue 13): lockdep's subclass limit
// (look_up_lock_class: "BUG: looking up invalid subclass"), MAX_LOCK_DEPTH and circular
// dependencies (check_noncircular), over the sequences memcg_reparent_objcgs() takes.

const nodes = (n: number) => Array.from({ length: n }, (_, i) => i);
const lru = (memcg: number, subclass: number): HeldLock => ({ lock: 'lru_lock', memcg, nid: 0, subclass });

describe('lockdep over reparent lock sequences', () => {
  it('v1 (all nodes at once, subclass nest++) overflows MAX_LOCKDEP_SUBCLASSES beyond 4 nodes, once, at the first step', () => {
    expect(MAX_LOCKDEP_SUBCLASSES).toBe(8);
    for (const n of [1, 2, 4]) {
      const d = new Lockdep();
      d.acquireAll(1, lockSequence(LOCK_ORDER_ALL_NODES, 3, 2, nodes(n)));
      expect(d.reports).toEqual([]);
    }
    const d = new Lockdep();
    d.acquireAll(7, lockSequence(LOCK_ORDER_ALL_NODES, 3, 2, nodes(5))); // the 5th node's child lock is subclass 8
    d.acquireAll(9, lockSequence(LOCK_ORDER_ALL_NODES, 4, 2, nodes(5)));
    expect(d.reports.map((r) => [r.kind, r.seq])).toEqual([['invalid-subclass', 7]]);
    expect(d.reports[0].message).toMatch(/^BUG: looking up invalid subclass: 8/);
    expect(d.reports[0].held).toMatch(/lru_lock\(3,N4\)\/8$/);
  });

  it('7.1 (node by node, subclasses 1 and 2) reports nothing at 64 nodes, over nested reparents', () => {
    const d = new Lockdep();
    let seq = 0;
    for (const [child, parent] of [
      [5, 4],
      [4, 3],
      [3, 2],
    ])
      for (const nid of nodes(64)) d.acquireAll(++seq, lockSequence(LOCK_ORDER_PER_NODE, child, parent, [nid]));
    expect(d.reports).toEqual([]);
    expect(d.dependencies()).toEqual(['lru_lock/1 -> lru_lock/2', 'objcg_lock/0 -> lru_lock/1', 'objcg_lock/0 -> lru_lock/2']);
  });

  it('an AB/BA order between two classes is a circular dependency, reported at the step that closes it', () => {
    const d = new Lockdep();
    d.acquireAll(1, [lru(3, 1), lru(2, 2)]);
    d.acquireAll(2, [lru(2, 2), lru(3, 1)]);
    expect(d.reports.map((r) => [r.kind, r.seq])).toEqual([['circular-dependency', 2]]);
    // a longer cycle: 1 → 2 known; 2 → 3, then 3 → 1 closes 1 → 2 → 3 → 1
    const e = new Lockdep();
    e.acquireAll(1, [lru(1, 1), lru(2, 2)]);
    e.acquireAll(2, [lru(2, 2), lru(3, 3)]);
    e.acquireAll(3, [lru(3, 3), lru(1, 1)]);
    expect(e.reports.map((r) => [r.kind, r.seq])).toEqual([['circular-dependency', 3]]);
  });

  it('more than MAX_LOCK_DEPTH held locks is reported', () => {
    const d = new Lockdep();
    const locks: HeldLock[] = Array.from({ length: MAX_LOCK_DEPTH + 1 }, (_, i) => lru(i, 0));
    d.acquireAll(5, locks);
    expect(d.reports.map((r) => [r.kind, r.seq])).toEqual([['max-lock-depth', 5]]);
    const ok = new Lockdep();
    ok.acquireAll(5, locks.slice(0, MAX_LOCK_DEPTH));
    expect(ok.reports).toEqual([]);
  });
});
