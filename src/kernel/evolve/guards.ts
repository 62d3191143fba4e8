import type { Event } from '../events.js';
import { type Folio, getFolio, getMemcg, type KernelState, type Memcg } from '../state.js';
import { EvolveError } from './error.js';

/** The handler of one event type: applies it or throws EvolveError. */
export type Handler = (s: KernelState, e: Event) => void;

/** The event's folio, for a classic-LRU move. */
export function classicFolio(s: KernelState, e: Event): Folio {
  if (s.mglru) throw new EvolveError(e, 'a classic-LRU move on an MGLRU machine');
  return getFolio(s, e.folio);
}

/** The event's memcg, for an MGLRU event. */
export function mglruMemcg(s: KernelState, e: Event): Memcg {
  if (!s.mglru) throw new EvolveError(e, 'an MGLRU event on a classic-LRU machine');
  return getMemcg(s, e.memcg);
}

/** The event's folio, which must be on an MGLRU list. */
export function mglruFolio(s: KernelState, e: Event): Folio {
  const f = getFolio(s, e.folio);
  if (!s.mglru || f.gen < 0) throw new EvolveError(e, `folio ${f.id} is not on an MGLRU list`);
  return f;
}
