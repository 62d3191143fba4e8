import { encodeSplice, SPLICE_REWRITE_HEAD } from '../../kernel/events.js';
import { lruGenFromSeq } from '../../kernel/lru_gen.js';
import type { LruGenView } from '../../kernel/state.js';
import { reparentLruGen } from './mglru.js';
import type { ReparentMode } from './types.js';

/**
 * Yuanchu Xie's review point: map child gens to parent gens by lrugen->timestamps. Each child gen,
 * oldest first, goes to the head of the youngest parent gen born no later than it.
 */
export const ageOrder = {
  name: 'age-order',
  policy: 'reparent',
  lru: 'mglru',
  description:
    'puts each child gen, oldest first, at the head of the youngest parent gen born no later than it (by timestamps; walks the folios)',
  options: ['mglru'],
  objcgCharging: true,
  offline(ctx, child, parent) {
    reparentLruGen(ctx, child, parent, {
      oldestFirst: true,
      target: (cg, pg, gen, type) =>
        encodeSplice(gen, type, lruGenFromSeq(parentSeqByAge(pg, type, cg.timestamps[gen])), SPLICE_REWRITE_HEAD),
    });
  },
} as const satisfies ReparentMode;

/** The youngest parent seq born no later than `birth`; the oldest one if all are younger. */
export function parentSeqByAge(pg: LruGenView, type: number, birth: number): number {
  for (let seq = pg.maxSeq; seq > pg.minSeq[type]; seq--) {
    if (pg.timestamps[lruGenFromSeq(seq)] <= birth) return seq;
  }
  return pg.minSeq[type];
}
