import { MAX_NR_GENS } from './constants.js';
import { folioType } from './lru_gen.js';
import { lruGenIndex, lruListOfType } from './mmzone.js';
import { folioLruvec } from './node.js';
import type { Folio, KernelState } from './state.js';

/**
 * Above this many resident folios of the victim's type in its lruvec, only a deterministic 1-in-k
 * sample of evictions is measured (k = resident / this, rounded up), so the cost of the metric per
 * eviction stays bounded on big lruvecs (a reparent target can hold most of memory).
 */
export const INVERSION_EXACT_LIMIT = 128;

/**
 * eviction_inversion (lab metric, not kernel state): the share of the folios of the same type
 * resident in the victim's lruvec that were last accessed before it. 0 = the victim was the least
 * recently used. Called by evolve just before the victim leaves.
 */
export function noteEvictionOrder(s: KernelState, victim: Folio): void {
  const lv = folioLruvec(s, victim);
  const lists = s.mglru
    ? [...Array(MAX_NR_GENS).keys()].map((gen) => lv.lrugen.lists[lruGenIndex(gen, folioType(victim))])
    : [false, true].map((active) => lv.lists[lruListOfType(folioType(victim), active)]);
  const resident = lists.reduce((n, l) => n + l.count, 0) - 1;
  if (resident <= 0) return;
  s.lab.inversionEvictions++;
  if (s.lab.inversionEvictions % Math.ceil(resident / INVERSION_EXACT_LIMIT) !== 0) return;
  let older = 0;
  for (const l of lists) {
    for (let f = l.head; f; f = f.next) if (f !== victim && f.lastAccess < victim.lastAccess) older++;
  }
  s.lab.inversionSum += older / resident;
  s.lab.inversionCount++;
}
