import {
  DEF_PRIORITY,
  LRU_ACTIVE,
  LRU_GEN_ANON,
  LRU_GEN_FILE,
  LRU_INACTIVE_FILE,
  MAX_LRU_BATCH,
  MAX_NR_TIERS,
  MEMCG_NR_BINS,
  MIN_LRU_BATCH,
  MIN_NR_GENS,
  ROOT_MEMCG,
} from '../kernel/constants.js';
import { E, SCAN_RECLAIMER, SORT_DIRTY, SORT_PROMOTED, SORT_PROTECTED } from '../kernel/events.js';
import { folioLruRefs, folioType, getNrGens, lruGenFromSeq, lruTierFromRefs, workingsetLazilyPromoted } from '../kernel/lru_gen.js';
import { getMemcgGen, MEMCG_LRU_NOP, MEMCG_LRU_TAIL, MEMCG_LRU_YOUNG, memcgLruIndex } from '../kernel/memcg_lru.js';
import { lruGenIndex, lruListOfType, tierIndex } from '../kernel/mmzone.js';
import { lruvecOf, nodeData, withNid } from '../kernel/node.js';
import { type FolioView, type LruGenView, MEMCG_ONLINE, type MemcgView } from '../kernel/state.js';
import { WMARK_HIGH, watermarks, zoneFreePages } from '../kernel/watermark.js';
import {
  evictableMinSeq,
  evictablePages,
  evictableTypes,
  getSwappiness,
  shouldRunAging,
  tryToIncMaxSeq,
  tryToIncMinSeq,
} from './aging_mglru.js';
import type { Ctx } from './context.js';
import { MEMCG_LOW, memcgMemoryEvent } from './memcg_event.js';
import { fls } from './vmscan/bits.js';
import { belowLow, belowMin, calculateProtection } from './vmscan/protection.js';
import { isKswapd, type ScanControl } from './vmscan/scan_control.js';
import { shrinkFolioList } from './vmscan/shrink_folio_list.js';
import { wakeupFlusherThreads } from './writeback.js';

// MGLRU eviction (mm/vmscan.c, 6.19-rc): get_nr_to_scan → evict_folios → scan_folios/sort_folio,
// the PID controller that picks the protected tiers, and shrink_many over the memcg LRU.

/**
 * get_nr_to_scan(): a dead memcg is scraped whole; otherwise size >> priority, aging first when
 * needed (-1 = aged, rotate this lruvec; 0 = nothing to do).
 */
export function getNrToScan(ctx: Ctx, m: MemcgView, sc: ScanControl, swappiness: number): number {
  const g = lruvecOf(m, sc.nid).lrugen;
  const { age, nrToScan } = shouldRunAging(g, swappiness);
  if (nrToScan && m.state !== MEMCG_ONLINE) return nrToScan;
  if (!age || sc.priority === DEF_PRIORITY) return nrToScan >> sc.priority;
  return tryToIncMaxSeq(ctx, m, sc.nid, g.maxSeq, swappiness) ? -1 : 0;
}

/** try_to_shrink_lruvec(): evict until the scan goal is met; true = rotate this memcg. */
export function tryToShrinkLruvec(ctx: Ctx, m: MemcgView, sc: ScanControl): boolean {
  let scanned = 0;
  let nrToScan = 0;
  const swappiness = getSwappiness(ctx.s, sc);
  for (;;) {
    nrToScan = getNrToScan(ctx, m, sc, swappiness);
    if (nrToScan <= 0) break;
    const delta = evictFolios(ctx, m, nrToScan, sc, swappiness);
    if (!delta) break;
    scanned += delta;
    if (scanned >= nrToScan) break;
    if (shouldAbortScan(ctx, sc)) break;
  }
  return nrToScan < 0;
}

/** lru_gen_shrink_lruvec() (memcg reclaim under MGLRU): an lruvec that just aged moves to the young memcg-LRU gen. */
export function lruGenShrinkLruvec(ctx: Ctx, m: MemcgView, sc: ScanControl): void {
  const success = tryToShrinkLruvec(ctx, m, sc);
  if (success && ctx.s.memcgs.has(m.id)) ctx.emit(E.memcgLruRotate(m.id, withNid(MEMCG_LRU_YOUNG, sc.nid), ctx.rng.int(MEMCG_NR_BINS)));
}

/**
 * lru_gen_shrink_node() (root reclaim): set_initial_priority() for large requests (kswapd), kswapd
 * counts its nr_reclaimed from 0 for should_abort_scan(), then shrink_many().
 */
export function lruGenShrinkNode(ctx: Ctx, sc: ScanControl): void {
  setInitialPriority(ctx, sc);
  const before = sc.nrReclaimed;
  if (isKswapd(sc)) sc.nrReclaimed = 0;
  shrinkMany(ctx, sc);
  if (isKswapd(sc)) sc.nrReclaimed += before;
}

/**
 * set_initial_priority(): only at DEF_PRIORITY and for nr_to_reclaim >= MIN_LRU_BATCH: start
 * where reclaimable >> priority is about nr_to_reclaim, within [DEF_PRIORITY / 2, DEF_PRIORITY].
 * reclaimable = inactive file (+ inactive anon with swap) of the node.
 */
export function setInitialPriority(ctx: Ctx, sc: ScanControl): void {
  if (sc.priority !== DEF_PRIORITY || sc.nrToReclaim < MIN_LRU_BATCH) return;
  let reclaimable = 0;
  for (const m of ctx.s.memcgs.values()) {
    const lv = lruvecOf(m, sc.nid);
    reclaimable += lv.size[LRU_INACTIVE_FILE] + (ctx.s.vm.swapPages > 0 ? lv.size[0] : 0);
  }
  const priority = fls(reclaimable) - 1 - fls(sc.nrToReclaim - 1);
  sc.priority = Math.min(Math.max(priority, DEF_PRIORITY / 2), DEF_PRIORITY);
}

interface CtrlPos {
  refaulted: number;
  total: number;
  gain: number;
}

function readCtrlPos(g: LruGenView, type: number, tier: number, gain: number): CtrlPos {
  const i = tierIndex(type, tier);
  return {
    refaulted: g.avgRefaulted[i] + g.refaulted[i],
    total: g.avgTotal[i] + g.evicted[i] + g.protected[i],
    gain,
  };
}

/** positive_ctrl_err(): the PV has few refaults, or a lower refaulted/total than the SP. */
function positiveCtrlErr(sp: CtrlPos, pv: CtrlPos): boolean {
  return pv.refaulted < MIN_LRU_BATCH || pv.refaulted * (sp.total + MIN_LRU_BATCH) * sp.gain <= (sp.refaulted + 1) * pv.total * pv.gain;
}

/** read_ctrl_pos() over every tier of a type. */
function readCtrlPosAll(g: LruGenView, type: number, gain: number): CtrlPos {
  const pos: CtrlPos = { refaulted: 0, total: 0, gain };
  for (let tier = 0; tier < MAX_NR_TIERS; tier++) {
    const p = readCtrlPos(g, type, tier, gain);
    pos.refaulted += p.refaulted;
    pos.total += p.total;
  }
  return pos;
}

/**
 * get_type_to_scan(): file at swappiness <= 1, anon at >= MAX_SWAPPINESS; otherwise compare the
 * refault rates of the two types, each weighted by its swappiness share (anon: swappiness,
 * file: 200 - swappiness): file unless its refaults are clearly worse (positive_ctrl_err).
 */
export function getTypeToScan(g: LruGenView, swappiness: number): number {
  if (swappiness <= 1) return LRU_GEN_FILE;
  if (swappiness >= 200) return LRU_GEN_ANON;
  const sp = readCtrlPosAll(g, LRU_GEN_ANON, swappiness);
  const pv = readCtrlPosAll(g, LRU_GEN_FILE, 200 - swappiness);
  return positiveCtrlErr(sp, pv) ? LRU_GEN_FILE : LRU_GEN_ANON;
}

/** get_tier_idx(): tiers above the returned one refault more than tier 0 and are protected. */
export function getTierIdx(g: LruGenView, type: number): number {
  const sp = readCtrlPos(g, type, 0, 2);
  let tier = 1;
  for (; tier < MAX_NR_TIERS; tier++) {
    if (!positiveCtrlErr(sp, readCtrlPos(g, type, tier, 3))) break;
  }
  return tier - 1;
}

/**
 * sort_folio(): why a folio at the tail of the oldest gen is kept (0 = it may be isolated):
 * promoted → protected tier → (ineligible zone: one zone) → dirty file or writeback.
 */
export function sortReason(g: LruGenView, f: FolioView, tierIdx: number): number {
  const type = folioType(f);
  if (f.gen !== lruGenFromSeq(g.minSeq[type])) return SORT_PROMOTED;
  const refs = folioLruRefs(f);
  if (lruTierFromRefs(refs, f.workingset) > tierIdx || workingsetLazilyPromoted(refs, f.workingset)) return SORT_PROTECTED;
  if (f.writeback || (f.file && f.dirty)) return SORT_DIRTY;
  return 0;
}

/**
 * evict_folios(): isolate_folios() from the type get_type_to_scan() picks (the other type if that
 * one gives nothing), then shrink_folio_list() on what was isolated, then try_to_inc_min_seq().
 * Returns pages scanned. The evictions are logged before try_to_inc_min_seq (the kernel isolates
 * under the lock and frees after it); the end state is the same.
 */
export function evictFolios(ctx: Ctx, m: MemcgView, nrToScan: number, sc: ScanControl, swappiness = 0): number {
  const g = lruvecOf(m, sc.nid).lrugen;
  const types = evictableTypes(swappiness);
  let type = types.length > 1 ? getTypeToScan(g, swappiness) : types[0];
  let r: ScanResult = { scanned: 0, isolated: [], unqueuedDirty: 0 };
  for (let i = 0; i < types.length; i++) {
    r = scanFolios(ctx, m, nrToScan, sc, type);
    if (r.scanned) break;
    type = type === LRU_GEN_FILE ? LRU_GEN_ANON : LRU_GEN_FILE;
  }
  let scanned = r.scanned;
  sc.nrReclaimed += shrinkFolioList(ctx, r.isolated, sc).reclaimed;
  // try_to_shrink_lruvec(): every file folio taken was dirty and unqueued → wake the flushers
  if (r.unqueuedDirty && !r.isolated.length) wakeupFlusherThreads(ctx);
  if (!ctx.s.memcgs.has(m.id)) return scanned; // freed with its last folio (legacy)
  if (tryToIncMinSeq(ctx, m, sc.nid, swappiness)) scanned++;
  if (evictableMinSeq(g, swappiness) + MIN_NR_GENS > g.maxSeq) scanned = 0;
  return scanned;
}

interface ScanResult {
  scanned: number;
  isolated: FolioView[];
  unqueuedDirty: number;
}

/**
 * scan_folios(): from the tail of the oldest gen of `type` (nothing at MIN_NR_GENS), at most
 * MAX_LRU_BATCH, stopping once MIN_LRU_BATCH are isolated; sort_folio() keeps what must stay.
 * Counts pgscan (isolated) and pgrefill (sorted).
 */
function scanFolios(ctx: Ctx, m: MemcgView, nrToScan: number, sc: ScanControl, type: number): ScanResult {
  const g = lruvecOf(m, sc.nid).lrugen;
  const r: ScanResult = { scanned: 0, isolated: [], unqueuedDirty: 0 };
  if (getNrGens(g, type) <= MIN_NR_GENS) return r;
  const tierIdx = getTierIdx(g, type);
  const head = g.lists[lruGenIndex(lruGenFromSeq(g.minSeq[type]), type)];
  let sorted = 0;
  let remaining = Math.min(nrToScan, MAX_LRU_BATCH);
  for (let f = head.tail; f && remaining > 0; ) {
    const prev: FolioView | null = f.prev;
    r.scanned++;
    const reason = sortReason(g, f, tierIdx);
    if (reason === SORT_DIRTY && f.dirty) r.unqueuedDirty++; // sc->nr.unqueued_dirty (and file_taken)
    if (reason) {
      ctx.emit(E.sort(f.id, reason));
      sorted++;
    } else r.isolated.push(f);
    remaining--;
    if (r.isolated.length >= MIN_LRU_BATCH) break;
    f = prev;
  }
  if (!r.isolated.length && remaining) r.scanned = 0;
  const lru = lruListOfType(type, false);
  if (r.isolated.length) ctx.emit(E.scan(m.id, lru + SCAN_RECLAIMER * sc.reclaimer, r.isolated.length));
  if (sorted) ctx.emit(E.scan(m.id, lru + LRU_ACTIVE + SCAN_RECLAIMER * sc.reclaimer, sorted)); // PGREFILL
  sc.nrScanned += r.isolated.length;
  return r;
}

/**
 * should_abort_scan(): never for memcg reclaim ("don't abort memcg reclaim to ensure fairness");
 * global reclaim stops once it has what it came for, and kswapd also once the zone is above its
 * high watermark + MIN_LRU_BATCH.
 */
export function shouldAbortScan(ctx: Ctx, sc: ScanControl): boolean {
  if (!sc.rootReclaim) return false;
  if (sc.nrReclaimed >= sc.nrToReclaim) return true;
  return isKswapd(sc) && zoneFreePages(ctx.s, sc.nid) > watermarks(ctx.s, sc.nid)[WMARK_HIGH] + MIN_LRU_BATCH;
}

/** lruvec_is_sizable(): an offline memcg is worth another pass while it holds anything. */
function lruvecIsSizable(ctx: Ctx, m: MemcgView, sc: ScanControl): boolean {
  const g = lruvecOf(m, sc.nid).lrugen;
  const total = evictablePages(g, getSwappiness(ctx.s, sc));
  return (m.state === MEMCG_ONLINE ? total >> sc.priority : total) > 0;
}

/** shrink_one(): shrink one lruvec and say where the memcg goes on the memcg LRU. */
function shrinkOne(ctx: Ctx, m: MemcgView, sc: ScanControl): number {
  // mem_cgroup_calculate_protection(NULL, memcg) for global reclaim: below min is never
  // reclaimed; below low only once it reached the tail of its gen (see MEMCG_NR_GENS), counted.
  const p = calculateProtection(ctx.s, ROOT_MEMCG, m, new Map());
  if (belowMin(ROOT_MEMCG, m, p)) return MEMCG_LRU_YOUNG;
  if (belowLow(ROOT_MEMCG, m, p)) {
    if (lruvecOf(m, sc.nid).lrugen.memcgSeg !== MEMCG_LRU_TAIL) return MEMCG_LRU_TAIL;
    memcgMemoryEvent(ctx, m.id, MEMCG_LOW);
  }
  sc.lruvecsVisited++;
  const success = tryToShrinkLruvec(ctx, m, sc);
  const live = ctx.s.memcgs.get(m.id);
  if (!live) return MEMCG_LRU_NOP; // released while being shrunk
  if (success && live.state === MEMCG_ONLINE) return MEMCG_LRU_YOUNG; // it just aged (or is protected)
  if (!success && lruvecIsSizable(ctx, live, sc)) return MEMCG_LRU_NOP;
  // one retry if offlined or too small
  return lruvecOf(live, sc.nid).lrugen.memcgSeg !== MEMCG_LRU_TAIL ? MEMCG_LRU_TAIL : MEMCG_LRU_YOUNG;
}

/**
 * shrink_many(): walk the old gen's bins of node sc.nid's memcg LRU from a random one, shrinking
 * each memcg and rotating it as shrink_one says, until the reclaim goal is met.
 */
export function shrinkMany(ctx: Ctx, sc: ScanControl): void {
  const lru = nodeData(ctx.s, sc.nid).memcgLru;
  const gen = getMemcgGen(lru.seq);
  const firstBin = ctx.rng.int(MEMCG_NR_BINS);
  let bin = firstBin;
  do {
    // The kernel walks the RCU list while entries rotate away; a copy walks the same order.
    const ids = [...lru.fifo[memcgLruIndex(gen, bin)]];
    for (const id of ids) {
      const m = ctx.s.memcgs.get(id);
      if (!m || lruvecOf(m, sc.nid).lrugen.memcgGen !== gen) continue;
      const op = shrinkOne(ctx, m, sc);
      if (op && ctx.s.memcgs.has(id)) ctx.emit(E.memcgLruRotate(id, withNid(op, sc.nid), ctx.rng.int(MEMCG_NR_BINS)));
      if (shouldAbortScan(ctx, sc)) return;
    }
    bin = (bin + 1) % MEMCG_NR_BINS;
  } while (bin !== firstBin);
}
