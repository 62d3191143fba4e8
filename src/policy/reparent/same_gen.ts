import { encodeSplice, SPLICE_SAME_GEN, SPLICE_SAME_GEN_TAIL, SPLICE_STALE_ACTIVE_STATS } from '../../kernel/events.js';
import { reparentLruGen } from './mglru.js';
import type { ReparentMode } from './types.js';

/**
 * The series (lru_gen_reparent_memcg): each child gen spliced onto the parent gen of the same
 * index: at the head (list_splice_init, v3..v6 and 7.1 as merged, f304652609ea) or, with the
 * switch mglru_splice_tail (v1/v2; the fix agreed in Harry Yoo's v6 review), at the tail.
 */
export const sameGen = {
  name: 'same-gen',
  policy: 'reparent',
  lru: 'mglru',
  description:
    'ages the parent to 4 gens, splices each child gen onto the parent gen with the same index: head (7.1), tail (v1) (O(lists), no folio walk)',
  options: ['mglru'],
  objcgCharging: true,
  offline(ctx, child, parent) {
    const mode = ctx.policy.series.mglru_splice_tail ? SPLICE_SAME_GEN_TAIL : SPLICE_SAME_GEN;
    // policyOptions.bug stale-active-stats: v3's splice, which the event marks for evolve to replay
    const bug = ctx.policy.bug === 'stale-active-stats' ? SPLICE_STALE_ACTIVE_STATS : 0;
    reparentLruGen(ctx, child, parent, { target: (_cg, _pg, gen, type) => encodeSplice(gen, type, gen, mode) | bug });
  },
} as const satisfies ReparentMode;
