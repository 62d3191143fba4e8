import { E, LOCK_ORDER_ALL_NODES, LOCK_ORDER_PER_NODE } from '../../kernel/events.js';
import { withNid } from '../../kernel/node.js';
import type { Ctx } from '../context.js';

/** What one reparent mode does on one node; reparentObjcgs() takes the locks around it. */
export interface NodeStep {
  /** before the locks (MGLRU: max_lru_gen_memcg on the parent's node lruvec) */
  prepare?(nid: number): void;
  /** under the locks: false drops them and retries from prepare (recheck_lru_gen_max_memcg) */
  recheck?(nid: number): boolean;
  /** under the locks: the node's splices (lru_reparent_memcg / lru_gen_reparent_memcg) */
  splice(nid: number): void;
}

/** The nodes a reparent walks: every node, in order (for_each_node). */
function reparentNodes(ctx: Ctx): number[] {
  return [...ctx.s.nodes.keys()];
}

/**
 * memcg_reparent_objcgs(). 7.1 (switch reparent_node_by_node, v5+): for each node, prepare, take
 * objcg_lock + the child's and the parent's lru_lock of that node, recheck (retry), splice,
 * re-point the objcgs, unlock. v1: prepare every node, then one critical section over all nodes'
 * locks. reparent_locks.b records which (+ 256 × the node); at one node the events differ only there.
 */
export function reparentObjcgs(ctx: Ctx, child: number, parent: number, step: NodeStep): void {
  const byNode = ctx.policy.series.reparent_node_by_node;
  const nodes = reparentNodes(ctx);
  const order = byNode ? LOCK_ORDER_PER_NODE : LOCK_ORDER_ALL_NODES;
  for (const group of byNode ? nodes.map((n) => [n]) : [nodes]) {
    // the record names the node whose locks are taken; all nodes at once (v1) is recorded at node 0
    const nid = group[0];
    if (group !== nodes && nid > 0) ctx.yieldPoint('offline'); // between two nodes' critical sections
    for (;;) {
      for (const n of group) step.prepare?.(n);
      // preemptible between max_lru_gen_memcg and the locks: a reclaimer may evict a parent gen
      // here, which is what the recheck under the locks is for
      ctx.yieldPoint('offline');
      ctx.emit(E.reparentLocks(child, parent, withNid(order, nid)));
      if (group.every((n) => step.recheck?.(n) ?? true)) break;
      ctx.emit(E.reparentUnlocks(child, parent, withNid(1, nid)));
    }
    for (const n of group) step.splice(n);
    for (const n of group) ctx.emit(E.objcgReparent(child, parent, n));
    ctx.emit(E.reparentUnlocks(child, parent, withNid(0, nid)));
  }
}
