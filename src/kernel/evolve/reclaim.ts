import { LRU_ACTIVE } from '../constants.js';
import type { Event } from '../events.js';
import { noteEvictionOrder } from '../eviction_order.js';
import { ageNonresident } from '../lru.js';
import { folioLruRefs, folioType, lruTierFromRefs } from '../lru_gen.js';
import { tierIndex } from '../mmzone.js';
import { folioNid, lruvecOf } from '../node.js';
import { Stat } from '../stat.js';
import { folioMemcg, getFolio, getMemcg, type Folio, type KernelState, type Memcg } from '../state.js';
import { EvolveError } from './error.js';
import { freeFolio } from './folio.js';

// evolve() for reclaim: the scan counters, evictions with their shadow entries, the shadow shrinker.

/** Isolated from a list: pgscan (inactive) or pgrefill (active). */
export function scan(s: KernelState, e: Event): void {
  const m = getMemcg(s, e.memcg);
  m.stat[(e.a & LRU_ACTIVE) !== 0 ? Stat.pgrefill : Stat.pgscan] += e.b;
}

export function reclaimBegin(s: KernelState): void {
  s.reclaims++;
}

export function reclaimEnd(s: KernelState, e: Event): void {
  s.lruvecsScanned += e.a;
}

/** A folio reclaimed (__remove_mapping): freed, pgsteal counted, a shadow entry left for file folios. */
export function evict(s: KernelState, e: Event): void {
  const f = getFolio(s, e.folio);
  const target = s.memcgs.get(e.memcg);
  if (!target) throw new EvolveError(e, `reclaim target ${e.memcg} is not live`);
  noteEvictionOrder(s, f);
  if (s.mglru) return lruGenEviction(s, f);
  const m = freeFolio(s, f, true);
  m.stat[Stat.pgsteal]++;
  if (f.file) workingsetEviction(s, f, target);
}

/** lru_gen_eviction(): the token is the folio's own lruvec's min_seq and its refs. */
function lruGenEviction(s: KernelState, f: Folio): void {
  const m = folioMemcg(s, f);
  const g = lruvecOf(m, folioNid(f)).lrugen;
  const type = folioType(f);
  const refs = folioLruRefs(f);
  const shadow = { eviction: g.minSeq[type], memcg: m.id, workingset: f.workingset, refs: Math.max(refs - 1, 0) };
  g.evicted[tierIndex(type, lruTierFromRefs(refs, f.workingset))]++;
  freeFolio(s, f, true);
  m.stat[Stat.pgsteal]++;
  if (f.file) s.shadows.set(f.key, shadow);
}

/** workingset_eviction(): the shadow names the reclaim target's lruvec, then ages it. */
function workingsetEviction(s: KernelState, f: Folio, target: Memcg): void {
  const nid = folioNid(f);
  s.shadows.set(f.key, { eviction: lruvecOf(target, nid).nonresidentAge, memcg: target.id, workingset: f.workingset, refs: 0 });
  ageNonresident(s, target, nid, 1);
}

/** The shadow shrinker: the oldest shadows go first (Map order is eviction order, which only the log decides). */
export function shadowReclaim(s: KernelState, e: Event): void {
  if (e.a <= 0 || e.a > s.shadows.size) throw new EvolveError(e, `cannot drop ${e.a} of ${s.shadows.size} shadow entries`);
  let n = e.a;
  for (const key of s.shadows.keys()) {
    s.shadows.delete(key);
    if (--n === 0) break;
  }
}
