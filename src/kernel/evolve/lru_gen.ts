import { ANON_AND_FILE, LRU_GEN_ANON, LRU_GEN_FILE, MAX_NR_GENS, MIN_NR_GENS } from '../constants.js';
import { type Event, GEN_UPDATE_BATCHED, SORT_DIRTY, SORT_PROMOTED, SORT_PROTECTED } from '../events.js';
import {
  folioIncGen,
  folioLruRefs,
  folioType,
  getNrGens,
  incMaxSeq,
  incMinSeq,
  lruGenFromSeq,
  lruGenMove,
  lruGenUpdateSize,
  lruTierFromRefs,
  resetCtrlPos,
  workingsetLazilyPromoted,
} from '../lru_gen.js';
import { memcgLruRotate } from '../memcg_lru.js';
import { lruGenIndex, tierIndex } from '../mmzone.js';
import { folioLruvec, lruvecOf, nidOf, nodeData, withoutNid } from '../node.js';
import type { KernelState, Lruvec, Memcg } from '../state.js';
import { EvolveError } from './error.js';
import { mglruFolio, mglruMemcg } from './guards.js';
import { batchGenUpdate } from './walk.js';

// evolve() for MGLRU aging and sorting (mm/vmscan.c). Memcg-level events name their node in a's high bits (node.ts).

/**
 * inc_max_seq() under one lru_lock hold: a type at MAX_NR_GENS first gives up its oldest gen
 * (inc_min_seq; its folios move up only if the type is evictable), then max_seq++.
 */
export function age(s: KernelState, e: Event): void {
  const lv = nodeLruvec(mglruMemcg(s, e), e);
  for (let t = 0; t < ANON_AND_FILE; t++) {
    if (getNrGens(lv.lrugen, t) === MAX_NR_GENS) incMinSeq(lv, t, (e.a & (1 << t)) !== 0);
  }
  incMaxSeq(lv, s.tick);
}

/**
 * try_to_inc_min_seq(): b empty oldest gens go (MIN_NR_GENS always stay), then one
 * reset_ctrl_pos(carryover) for the type, folding the stats of the old min_seq's hist once.
 */
export function incMinSeqEvent(s: KernelState, e: Event): void {
  const m = mglruMemcg(s, e);
  const lv = nodeLruvec(m, e);
  const g = lv.lrugen;
  const type = withoutNid(e.a);
  if (type !== LRU_GEN_ANON && type !== LRU_GEN_FILE) throw new EvolveError(e, `bad type ${type}`);
  const n = Math.max(e.b, 1); // logs before the count was carried dropped one gen per event
  for (let k = 0; k < n; k++) {
    if (getNrGens(g, type) <= MIN_NR_GENS) throw new EvolveError(e, `${m.path}: type ${type} has only ${MIN_NR_GENS} gens`);
    if (g.lists[lruGenIndex(lruGenFromSeq(g.minSeq[type] + k), type)].count)
      throw new EvolveError(e, `${m.path}: gen of seq ${g.minSeq[type] + k} type ${type} is not empty`);
    if (g.minSeq[type] + k + MIN_NR_GENS > g.maxSeq) throw new EvolveError(e, `${m.path}: min_seq would pass max_seq - MIN_NR_GENS`);
  }
  resetCtrlPos(g, type, true);
  g.minSeq[type] += n;
}

/**
 * folio_update_gen(): a young PTE promotes only on the second chance (referenced or workingset
 * already); the folio stays on its list until sort_folio moves it.
 */
export function genUpdate(s: KernelState, e: Event): void {
  const f = mglruFolio(s, e);
  f.young = false;
  if (!f.referenced && !f.workingset) {
    f.referenced = true;
    f.refs = 0;
    return;
  }
  const old = f.gen;
  f.gen = e.a % MAX_NR_GENS;
  f.referenced = false;
  f.refs = 0;
  f.workingset = true;
  if (e.b === GEN_UPDATE_BATCHED) batchGenUpdate(s, e, old, f.gen);
  else lruGenUpdateSize(folioLruvec(s, f), folioType(f), old, f.gen);
}

/** sort_folio(), which only sees folios on the oldest generation's list: a lazy move, or protection. */
export function sort(s: KernelState, e: Event): void {
  const f = mglruFolio(s, e);
  const lv = folioLruvec(s, f);
  const g = lv.lrugen;
  const type = folioType(f);
  const oldest = lruGenFromSeq(g.minSeq[type]);
  if (f.list !== lruGenIndex(oldest, type)) throw new EvolveError(e, `folio ${f.id} is not on the oldest gen's list`);
  if (e.a === SORT_PROMOTED) {
    if (f.gen === oldest) throw new EvolveError(e, `folio ${f.id} was not promoted`);
    lruGenMove(lv, f, lruGenIndex(f.gen, type), false);
  } else if (e.a === SORT_DIRTY) {
    // folio_inc_gen(lruvec, folio, true): PG_reclaim "for folio_end_writeback()", head of min_seq+1
    if (!f.writeback && !(f.file && f.dirty)) throw new EvolveError(e, `folio ${f.id} is neither dirty file nor under writeback`);
    const gen = folioIncGen(lv, f);
    f.reclaim = true;
    lruGenMove(lv, f, lruGenIndex(gen, type), false);
  } else if (e.a === SORT_PROTECTED) {
    const refs = folioLruRefs(f);
    const ws = f.workingset;
    const gen = folioIncGen(lv, f);
    lruGenMove(lv, f, lruGenIndex(gen, type), false);
    // don't count the workingset being lazily promoted
    if (!workingsetLazilyPromoted(refs, ws)) g.protected[tierIndex(type, lruTierFromRefs(refs, ws))]++;
  } else throw new EvolveError(e, `bad sort reason ${e.a}`);
}

/** lru_gen_rotate_memcg() on node nidOf(a)'s memcg LRU. */
export function memcgLruRotateEvent(s: KernelState, e: Event): void {
  const m = mglruMemcg(s, e);
  nodeLruvec(m, e);
  memcgLruRotate(nodeData(s, nidOf(e.a)), m, withoutNid(e.a), e.b);
}

/** The lruvec of the event's memcg on the node its a column names. */
function nodeLruvec(m: Memcg, e: Event): Lruvec {
  const nid = nidOf(e.a);
  if (!m.nodeinfo[nid]) throw new EvolveError(e, `no node ${nid}`);
  return lruvecOf(m, nid);
}
