import { NR_LRU_LISTS } from '../../kernel/constants.js';
import { E } from '../../kernel/events.js';
import { EVENT_NID, lruvecOf } from '../../kernel/node.js';
import type { ReparentMode } from './types.js';

/**
 * lru_reparent_memcg() (classic LRU): under both lruvec locks, each non-empty list of the child
 * is spliced to the tail of the parent's same list, then the objcgs are re-pointed.
 */
export const classic = {
  name: 'classic',
  policy: 'reparent',
  lru: 'classic',
  description: "splices each of the child's lists to the tail of the parent's same list (O(lists), no folio walk)",
  options: [],
  objcgCharging: true,
  offline(ctx, child, parent) {
    const lv = lruvecOf(ctx.s.memcgs.get(child)!, EVENT_NID);
    ctx.emit(E.reparentLocks(child, parent));
    for (let lru = 0; lru < NR_LRU_LISTS; lru++) {
      if (lv.size[lru] > 0) ctx.emit(E.splice(child, parent, lru));
    }
    ctx.emit(E.objcgReparent(child, parent));
    ctx.emit(E.reparentUnlocks(child, parent));
  },
} as const satisfies ReparentMode;
