import { ANON_AND_FILE, LRU_GEN_ANON, LRU_GEN_FILE, MAX_NR_GENS, MAX_NR_TIERS, MIN_NR_GENS } from './constants.js';
import { DEBUG_VM, vmWarn } from './debug.js';
import { listAdd, listAddTail, listDel } from './list.js';
import { lruGenIndex, lruGenIndexType, lruListOfType, tierIndex } from './mmzone.js';
import type { Folio, FolioView, LruGen, LruGenView, Lruvec } from './state.js';

// MGLRU (include/linux/mm_inline.h, mm/vmscan.c), one node and one zone.

/** Width of the LRU_REFS counter: MAX_NR_TIERS - 2 bits. */
export const LRU_REFS_WIDTH = MAX_NR_TIERS - 2;
export const LRU_REFS_MAX = (1 << LRU_REFS_WIDTH) - 1;

export function lruGenFromSeq(seq: number): number {
  return seq % MAX_NR_GENS;
}

export function getNrGens(g: LruGenView, type: number): number {
  return g.maxSeq - g.minSeq[type] + 1;
}

/** The two youngest gens count as active (ABI compatibility with the active and inactive counters). */
export function lruGenIsActive(g: LruGenView, gen: number): boolean {
  return gen === lruGenFromSeq(g.maxSeq) || gen === lruGenFromSeq(g.maxSeq - 1);
}

export function folioType(f: FolioView): number {
  return f.file ? LRU_GEN_FILE : LRU_GEN_ANON;
}

/** folio_lru_refs(): accesses through fds, PG_referenced included; 0 when not referenced. */
export function folioLruRefs(f: FolioView): number {
  return f.referenced ? f.refs + 1 : 0;
}

/**
 * refs + workingset == BIT(LRU_REFS_WIDTH) + 1 (sort_folio, inc_min_seq): a workingset folio whose
 * refs saturated is being lazily promoted, and "don't count the workingset being lazily promoted"
 * in protected[].
 */
export function workingsetLazilyPromoted(refs: number, workingset: boolean): boolean {
  return refs + (workingset ? 1 : 0) === (1 << LRU_REFS_WIDTH) + 1;
}

/** lru_tier_from_refs(): workingset folios are in the top tier, others in order_base_2(refs). */
export function lruTierFromRefs(refs: number, workingset: boolean): number {
  if (workingset) return MAX_NR_TIERS - 1;
  return refs <= 1 ? 0 : Math.ceil(Math.log2(refs));
}

/** The classic list a gen's pages count on. */
export function genClassicList(g: LruGenView, type: number, gen: number): number {
  return lruListOfType(type, lruGenIsActive(g, gen));
}

/**
 * The lruvecs a walk batch will be written into (KernelState.walk.home): their committed nr_pages
 * may go below zero until reset_batch_size, as in the kernel, so the debug check allows it there.
 * Derived from the state (walk handlers and the snapshot loader keep it), never serialized.
 */
const walkBatched = new WeakSet<object>();

export function setWalkBatched(g: LruGenView, on: boolean): void {
  if (on) walkBatched.add(g);
  else walkBatched.delete(g);
}

/**
 * lru_gen_update_size(): nr_pages moves with the flags gen, and the classic per-list counters
 * follow the active/inactive mapping. -1 means "not on an MGLRU list".
 */
export function lruGenUpdateSize(lv: Lruvec, type: number, oldGen: number, newGen: number): void {
  const g = lv.lrugen;
  // demotion requires isolation, e.g., lru_deactivate_fn()
  if (DEBUG_VM.on && oldGen >= 0 && newGen >= 0 && lruGenIsActive(g, oldGen) && !lruGenIsActive(g, newGen)) {
    vmWarn(`lru_gen_update_size: gen ${oldGen} → ${newGen} demotes active to inactive without isolation`);
  }
  if (oldGen >= 0) {
    const i = lruGenIndex(oldGen, type);
    const lru = genClassicList(g, type, oldGen);
    g.nrPages[i]--;
    lv.size[lru]--;
    if (DEBUG_VM.on && !walkBatched.has(g) && (g.nrPages[i] < 0 || lv.size[lru] < 0))
      vmWarn(`lru_gen_update_size: gen ${oldGen} type ${type} size went negative`);
  }
  if (newGen >= 0) {
    g.nrPages[lruGenIndex(newGen, type)]++;
    lv.size[genClassicList(g, type, newGen)]++;
  }
}

/**
 * lru_gen_folio_seq() (6.19-rc, relative to max_seq): active → max_seq-1 (workingset: max_seq);
 * reclaiming → oldest; anon not in swapcache or PG_reclaim and dirty/writeback → max_seq-1;
 * file (and swap-cache anon) → max_seq-3 (workingset: max_seq-2);
 * never below min_seq[type].
 */
export function lruGenFolioSeq(g: LruGenView, f: FolioView, active: boolean, reclaiming: boolean): number {
  const ws = f.workingset ? 1 : 0;
  let n: number;
  if (active) n = MIN_NR_GENS - ws;
  else if (reclaiming) n = MAX_NR_GENS;
  // anon outside the swap cache, and a PG_reclaim folio still dirty or under writeback, go to max_seq-1
  else if ((!f.file && !f.swapcache) || (f.reclaim && (f.dirty || f.writeback))) n = MIN_NR_GENS;
  else n = MAX_NR_GENS - ws;
  return Math.max(g.maxSeq - n + 1, g.minSeq[folioType(f)]);
}

/** lru_gen_add_folio(): PG_active is consumed, the gen goes into the flags, head (or tail when reclaiming). */
export function lruGenAddFolio(lv: Lruvec, f: Folio, reclaiming: boolean): void {
  const g = lv.lrugen;
  if (DEBUG_VM.on && (f.list !== -1 || f.gen !== -1)) vmWarn(`lru_gen_add_folio: folio ${f.id} is already on an MGLRU list`); // VM_WARN_ON_ONCE_FOLIO(folio_test_lru)
  const type = folioType(f);
  const gen = lruGenFromSeq(lruGenFolioSeq(g, f, f.active, reclaiming));
  f.active = false;
  f.gen = gen;
  lruGenUpdateSize(lv, type, -1, gen);
  f.list = lruGenIndex(gen, type);
  if (reclaiming) listAddTail(g.lists[f.list], f);
  else listAdd(g.lists[f.list], f);
}

/** lru_gen_del_folio(): the size comes off the flags gen, whatever list the folio sits on. */
export function lruGenDelFolio(lv: Lruvec, f: Folio, reclaiming: boolean): void {
  const g = lv.lrugen;
  const type = folioType(f);
  const gen = f.gen;
  // VM_WARN_ON_ONCE_FOLIO(gen == -1): it must be on a gen list of its own type
  if (DEBUG_VM.on && (gen < 0 || f.list < 0 || lruGenIndexType(f.list) !== type))
    vmWarn(`lru_gen_del_folio: folio ${f.id} is not on an MGLRU list of its type`);
  listDel(g.lists[f.list], f);
  f.list = -1;
  f.gen = -1;
  if (!reclaiming && lruGenIsActive(g, gen)) f.active = true;
  lruGenUpdateSize(lv, type, gen, -1);
}

/** Move a folio to the head (or tail) of another MGLRU list without touching its flags. */
export function lruGenMove(lv: Lruvec, f: Folio, list: number, tail: boolean): void {
  const g = lv.lrugen;
  listDel(g.lists[f.list], f);
  f.list = list;
  if (tail) listAddTail(g.lists[list], f);
  else listAdd(g.lists[list], f);
}

/**
 * folio_inc_gen(): a folio in the oldest gen moves to the next one, its refs cleared; a folio
 * already promoted by the walk keeps its gen. Returns the new gen.
 */
export function folioIncGen(lv: Lruvec, f: Folio): number {
  const g = lv.lrugen;
  const type = folioType(f);
  const oldGen = lruGenFromSeq(g.minSeq[type]);
  if (f.gen >= 0 && f.gen !== oldGen) return f.gen;
  const newGen = (oldGen + 1) % MAX_NR_GENS;
  f.referenced = false;
  f.refs = 0;
  f.gen = newGen;
  lruGenUpdateSize(lv, type, oldGen, newGen);
  return newGen;
}

/** lru_gen_inc_refs() (folio_mark_accessed under MGLRU): referenced, then count up, then workingset. */
export function lruGenIncRefs(f: Folio): void {
  if (!f.referenced) {
    f.referenced = true;
    f.refs = 0;
    return;
  }
  if (f.refs === LRU_REFS_MAX) f.workingset = true;
  else f.refs++;
}

/** reset_ctrl_pos(carryover): fold this period's refault/evict counts into the moving averages. */
export function resetCtrlPos(g: LruGen, type: number, carryover: boolean): void {
  for (let tier = 0; tier < MAX_NR_TIERS; tier++) {
    const i = tierIndex(type, tier);
    if (carryover) {
      g.avgRefaulted[i] = Math.floor((g.avgRefaulted[i] + g.refaulted[i]) / 2);
      g.avgTotal[i] = Math.floor((g.avgTotal[i] + g.evicted[i] + g.protected[i]) / 2);
    }
    g.refaulted[i] = 0;
    g.evicted[i] = 0;
    g.protected[i] = 0;
  }
}

/**
 * inc_min_seq(): with the type evictable, every folio still in the oldest gen moves up one gen
 * (no hot/cold inversion; counted as protected); then the stats carry over and min_seq++.
 */
export function incMinSeq(lv: Lruvec, type: number, evictable: boolean): void {
  const g = lv.lrugen;
  if (evictable) {
    const oldGen = lruGenFromSeq(g.minSeq[type]);
    const head = g.lists[lruGenIndex(oldGen, type)];
    while (head.tail) {
      const f = head.tail;
      const refs = folioLruRefs(f);
      const ws = f.workingset;
      const newGen = folioIncGen(lv, f);
      lruGenMove(lv, f, lruGenIndex(newGen, type), true);
      if (!workingsetLazilyPromoted(refs, ws)) {
        g.protected[tierIndex(type, lruTierFromRefs(refs, ws))]++;
      }
    }
  }
  resetCtrlPos(g, type, true);
  g.minSeq[type]++;
}

/**
 * inc_max_seq() after any inc_min_seq: gen(max_seq-1) turns inactive and gen(max_seq+1) active,
 * so their page counts swap sides in the classic counters; the new gen is born now.
 */
export function incMaxSeq(lv: Lruvec, tick: number): void {
  const g = lv.lrugen;
  const prev = lruGenFromSeq(g.maxSeq - 1);
  const next = lruGenFromSeq(g.maxSeq + 1);
  for (let type = 0; type < ANON_AND_FILE; type++) {
    const delta = g.nrPages[lruGenIndex(prev, type)] - g.nrPages[lruGenIndex(next, type)];
    lv.size[lruListOfType(type, false)] += delta;
    lv.size[lruListOfType(type, true)] -= delta;
  }
  g.timestamps[next] = tick;
  g.maxSeq++;
}
