import { encodeSplice, SPLICE_SAME_GEN } from '../../kernel/events.js';
import { reparentLruGen } from './mglru.js';
import type { ReparentMode } from './types.js';

/** The series (lru_gen_reparent_memcg): each child gen list_splice_init'ed onto the parent gen of the same index. */
export const sameGen = {
  name: 'same-gen',
  policy: 'reparent',
  lru: 'mglru',
  description: 'ages the parent to 4 gens, splices each child gen onto the parent gen with the same index (O(lists), no folio walk)',
  options: ['mglru'],
  objcgCharging: true,
  offline(ctx, child, parent) {
    reparentLruGen(ctx, child, parent, { target: (_cg, _pg, gen, type) => encodeSplice(gen, type, gen, SPLICE_SAME_GEN) });
  },
} as const satisfies ReparentMode;
