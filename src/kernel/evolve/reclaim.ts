import { LRU_ACTIVE } from '../constants.js';
import type { Event } from '../events.js';
import { SCAN_RECLAIMER } from '../events.js';
import { noteEvictionOrder } from '../eviction_order.js';
import { ageNonresident } from '../lru.js';
import { folioLruRefs, folioType, lruTierFromRefs } from '../lru_gen.js';
import { tierIndex } from '../mmzone.js';
import { folioNid, lruvecOf } from '../node.js';
import { PGSCAN_BY_RECLAIMER, PGSTEAL_BY_RECLAIMER, Stat } from '../stat.js';
import { type Folio, folioMemcg, getFolio, getMemcg, type KernelState, type Memcg } from '../state.js';
import { EvolveError } from './error.js';
import { freeFolio } from './folio.js';

// evolve() for reclaim: the scan counters, evictions with their shadow entries, the shadow shrinker.

/** Isolated from a list: pgscan (inactive; and pgscan_kswapd/_direct/_proactive) or pgrefill (active). */
export function scan(s: KernelState, e: Event): void {
  const m = getMemcg(s, e.memcg);
  const lru = e.a % SCAN_RECLAIMER;
  const reclaimer = Math.floor(e.a / SCAN_RECLAIMER);
  if (reclaimer >= PGSCAN_BY_RECLAIMER.length) throw new EvolveError(e, `bad reclaimer ${reclaimer}`);
  if ((lru & LRU_ACTIVE) !== 0) m.stat[Stat.pgrefill] += e.b;
  else {
    m.stat[Stat.pgscan] += e.b;
    m.stat[PGSCAN_BY_RECLAIMER[reclaimer]] += e.b;
  }
}

export function reclaimBegin(s: KernelState): void {
  s.reclaims++;
}

/** shrink_node(): `if (reclaimable) pgdat->kswapd_failures = 0;` (one node). */
export function reclaimEnd(s: KernelState, e: Event): void {
  s.lruvecsScanned += e.a;
  if (e.b > 0) for (const pgdat of s.nodes) pgdat.kswapdFailures = 0;
}

/** A folio reclaimed (__remove_mapping): freed, pgsteal counted, a shadow entry left for file folios. */
export function evict(s: KernelState, e: Event): void {
  const f = getFolio(s, e.folio);
  const target = s.memcgs.get(e.memcg);
  if (!target) throw new EvolveError(e, `reclaim target ${e.memcg} is not live`);
  if (e.a >= PGSTEAL_BY_RECLAIMER.length) throw new EvolveError(e, `bad reclaimer ${e.a}`);
  // the owner the event names is the folio's memcg (logs before it was recorded say 0)
  const owner = folioMemcg(s, f).id;
  if (e.b !== 0 && e.b !== owner) throw new EvolveError(e, `folio ${f.id} is charged to memcg ${owner}, not ${e.b}`);
  // __remove_mapping() only takes a clean, unmapped folio that is not under writeback
  if (f.dirty || f.writeback || f.mapped) throw new EvolveError(e, `folio ${f.id} is dirty, under writeback or mapped`);
  if (!f.file && !f.swapcache) throw new EvolveError(e, `anon folio ${f.id} is not in the swap cache`);
  noteEvictionOrder(s, f);
  if (s.mglru) return lruGenEviction(s, f, e.a);
  const m = freeFolio(s, f, true);
  m.stat[Stat.pgsteal]++;
  m.stat[PGSTEAL_BY_RECLAIMER[e.a]]++;
  if (f.file) workingsetEviction(s, f, target);
}

/** lru_gen_eviction(): the token is the folio's own lruvec's min_seq and its refs. */
function lruGenEviction(s: KernelState, f: Folio, reclaimer: number): void {
  const m = folioMemcg(s, f);
  const g = lruvecOf(m, folioNid(f)).lrugen;
  const type = folioType(f);
  const refs = folioLruRefs(f);
  const shadow = { eviction: g.minSeq[type], memcg: m.id, nid: f.nid, workingset: f.workingset, refs: Math.max(refs - 1, 0) };
  g.evicted[tierIndex(type, lruTierFromRefs(refs, f.workingset))]++;
  freeFolio(s, f, true);
  m.stat[Stat.pgsteal]++;
  m.stat[PGSTEAL_BY_RECLAIMER[reclaimer]]++;
  if (f.file) s.shadows.set(f.key, shadow);
}

/** workingset_eviction(): the shadow names the reclaim target's lruvec, then ages it. */
function workingsetEviction(s: KernelState, f: Folio, target: Memcg): void {
  const nid = folioNid(f);
  s.shadows.set(f.key, { eviction: lruvecOf(target, nid).nonresidentAge, memcg: target.id, nid, workingset: f.workingset, refs: 0 });
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
