import { NR_LRU_LISTS } from '../../kernel/constants.js';
import { E } from '../../kernel/events.js';
import { lruvecOf, withNid } from '../../kernel/node.js';
import { SPLICE_NID_UNIT } from '../../kernel/reparent.js';
import type { ReparentMode } from './types.js';

/**
 * lru_reparent_memcg() (classic LRU), node by node as 7.1 does it: under objcg_lock and both
 * lruvec locks of the node, each non-empty list of the child is spliced to the tail of the
 * parent's same list, then the node's objcgs are re-pointed; the locks are dropped between nodes.
 */
export const classic = {
  name: 'classic',
  policy: 'reparent',
  lru: 'classic',
  description: "splices each of the child's lists to the tail of the parent's same list (O(lists), no folio walk)",
  options: [],
  objcgCharging: true,
  offline(ctx, child, parent) {
    for (let nid = 0; nid < ctx.s.nodes.length; nid++) {
      const lv = lruvecOf(ctx.s.memcgs.get(child)!, nid);
      ctx.emit(E.reparentLocks(child, parent, nid));
      for (let lru = 0; lru < NR_LRU_LISTS; lru++) {
        if (lv.size[lru] > 0) ctx.emit(E.splice(child, parent, lru + nid * SPLICE_NID_UNIT));
      }
      ctx.emit(E.objcgReparent(child, parent, nid));
      ctx.emit(E.reparentUnlocks(child, parent, withNid(0, nid)));
    }
  },
} as const satisfies ReparentMode;
