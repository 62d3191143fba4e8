import { encodeSplice, SPLICE_REWRITE_TAIL } from '../../kernel/events.js';
import { lruGenFromSeq } from '../../kernel/lru_gen.js';
import { reparentLruGen } from './mglru.js';
import type { ReparentMode } from './types.js';

/** Kairui Song's review point ("assume colder"): every child folio goes behind the parent's oldest gen. */
export const tail = {
  name: 'tail',
  policy: 'reparent',
  lru: 'mglru',
  description: "moves every child folio to the tail of the parent's oldest gen, youngest child gen first (walks the folios)",
  options: ['mglru'],
  objcgCharging: true,
  offline(ctx, child, parent) {
    reparentLruGen(ctx, child, parent, {
      target: (_cg, pg, gen, type) => encodeSplice(gen, type, lruGenFromSeq(pg.minSeq[type]), SPLICE_REWRITE_TAIL),
    });
  },
} as const satisfies ReparentMode;
