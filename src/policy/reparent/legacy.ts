import { E } from '../../kernel/events.js';
import type { ReparentMode } from './types.js';

/** Before the series: folios are charged to the memcg itself and pin it; only kmem objcgs move. */
export const legacy = {
  name: 'legacy',
  policy: 'legacy',
  lru: 'any',
  description: 'folios pin the memcg; offline leaves them where they are, so it stays dying while they live',
  options: [],
  objcgCharging: false,
  offline(ctx, child, parent) {
    // kmem objcgs are reparented in every kernel since 5.9 (one per node in 7.1)
    for (let nid = 0; nid < ctx.s.nodes.length; nid++) ctx.emit(E.objcgReparent(child, parent, nid));
  },
} as const satisfies ReparentMode;
