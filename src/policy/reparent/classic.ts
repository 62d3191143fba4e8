import { NR_LRU_LISTS } from '../../kernel/constants.js';
import { E } from '../../kernel/events.js';
import { lruvecOf } from '../../kernel/node.js';
import { SPLICE_NID_UNIT } from '../../kernel/reparent.js';
import { reparentObjcgs } from './objcgs.js';
import type { ReparentMode } from './types.js';

/**
 * lru_reparent_memcg() (classic LRU): under both lruvec locks (per node, reparentObjcgs), each
 * non-empty list of the child is spliced to the tail of the parent's same list, then the objcgs
 * are re-pointed. The same in v1 and 7.1.
 */
export const classic = {
  name: 'classic',
  policy: 'reparent',
  lru: 'classic',
  description: "splices each of the child's lists to the tail of the parent's same list (O(lists), no folio walk)",
  options: [],
  objcgCharging: true,
  offline(ctx, child, parent) {
    reparentObjcgs(ctx, child, parent, {
      splice(nid) {
        const lv = lruvecOf(ctx.s.memcgs.get(child)!, nid);
        for (let lru = 0; lru < NR_LRU_LISTS; lru++) {
          if (lv.size[lru] > 0) ctx.emit(E.splice(child, parent, lru + nid * SPLICE_NID_UNIT));
        }
      },
    });
  },
} as const satisfies ReparentMode;
