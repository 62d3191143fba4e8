import { MAX_NR_GENS } from '../constants.js';
import { folioType } from '../lru_gen.js';
import { lruGenIndexType } from '../mmzone.js';
import { lruvecOf } from '../node.js';
import { type FolioView, folioLruList, folioMemcgId, type KernelView, type ListView, type LruGenView, type MemcgView } from '../state.js';
import { RANK, type Scope } from './inc_types.js';

// The invariants of one folio, checked where an event touched it (incremental.ts): the same rules
// as checkFolioOwners, checkPageCache, checkListLinks, checkClassicLists, checkGenWindow,
// checkSwap and checkDirtyWriteback apply to each folio they walk, here to one folio in O(1).

/** A gen index lies inside [min_seq[type], max_seq] (invariants/lru_gen.ts inWindow, without the loop). */
export function inWindow(g: LruGenView, type: number, gen: number): boolean {
  const span = g.maxSeq - g.minSeq[type];
  if (gen < 0 || gen >= MAX_NR_GENS || span < 0) return false;
  if (span >= MAX_NR_GENS - 1) return true;
  return (gen - (g.minSeq[type] % MAX_NR_GENS) + MAX_NR_GENS) % MAX_NR_GENS <= span;
}

/** The live memcg folio_memcg() gives, or undefined (a missing objcg or a freed memcg). */
export function liveMemcg(s: KernelView, f: FolioView): MemcgView | undefined {
  const id = folioMemcgId(s, f);
  return id === undefined ? undefined : s.memcgs.get(id);
}

/** The list a folio records (folio->list) on its folio_memcg's lruvec of its node, if there is one. */
export function recordedList(s: KernelView, m: MemcgView, f: FolioView): ListView | undefined {
  if (f.nid < 0 || f.nid >= m.nodeinfo.length) return undefined;
  const lv = lruvecOf(m, f.nid);
  return s.mglru ? lv.lrugen.lists[f.list] : lv.lists[f.list];
}

/**
 * list_head integrity around one folio: its neighbours point back at it; with `strict`, a folio
 * without a prev (next) is the head (tail) of the list it records.
 */
export function checkLinks(sc: Scope, f: FolioView, l: ListView | undefined, strict: boolean): void {
  const prevOk = f.prev ? f.prev.next === f : !strict || l?.head === f;
  const nextOk = f.next ? f.next.prev === f : !strict || l?.tail === f;
  if (!prevOk || !nextOk) sc.bad(RANK.lists, 'list-links', `folio ${f.id}: broken ${prevOk ? 'next' : 'prev'} link`);
}

/**
 * What holds for a folio wherever it sits: a live owner, its node, dirty/writeback/swap flags;
 * with `cached`, its page-cache slot (only a charge or a free changes that: an event that did
 * not recharge the folio skips the lookup).
 */
export function checkFolioState(sc: Scope, f: FolioView, cached = true): MemcgView | undefined {
  const { s, bad } = sc;
  // folio_memcg() through the checker's own maps (kept by the objcg and memcg events): no Map lookup
  const id = sc.t.memcgOf(f.owner);
  const m = id < 0 ? undefined : sc.t.memcg(id);
  if (id < 0) bad(RANK.owners, 'owner', `folio ${f.id} owned by missing objcg ${f.owner}`);
  else if (!m) bad(RANK.owners, 'freed-owns-nothing', `folio ${f.id} belongs to memcg ${id}, which is not live`);
  if (cached && f.file && s.pageCache.get(f.key) !== f.id)
    bad(RANK.pageCache, 'page-cache', `file folio ${f.id} is not in the page cache at its key`);
  if (f.nid < 0 || f.nid >= s.nodes.length) bad(RANK.lists, 'folio-node', `folio ${f.id} is on node ${f.nid}, which does not exist`);
  if (f.list < 0) bad(RANK.lists, 'one-list', `folio ${f.id} is on no list`);
  if (f.swapcache && (f.file || !s.swapEntries.has(f.id)))
    bad(RANK.swap, 'swapcache', `folio ${f.id} is in the swap cache without an anon swap entry`);
  if (f.dirty || f.writeback || f.reclaim) {
    if (f.dirty && !f.file) bad(RANK.dirty, 'dirty', `anon folio ${f.id} is dirty`);
    if (f.dirty && f.writeback) bad(RANK.dirty, 'dirty', `folio ${f.id} is dirty and under writeback`);
    if (f.dirty && !s.dirtyQueue.has(f.id)) bad(RANK.dirty, 'dirty-queue', `dirty folio ${f.id} is not queued for the flusher`);
    if (f.writeback && !s.writebackQueue.has(f.id)) bad(RANK.dirty, 'writeback-queue', `folio ${f.id} under writeback is not queued`);
    if (f.reclaim && !f.dirty && !f.writeback)
      bad(RANK.dirty, 'pg-reclaim', `folio ${f.id} has PG_reclaim but is clean and not under writeback`);
  }
  return m;
}

/** The flags of a folio on list `idx` of lruvec `g`'s owner: MGLRU type, PG_active, flags gen window; classic folio_lru_list. */
export function checkListFlags(sc: Scope, f: FolioView, idx: number, g: LruGenView, window: boolean): void {
  const { s, bad } = sc;
  if (s.mglru) {
    if (lruGenIndexType(idx) !== folioType(f)) bad(RANK.genWindow, 'gen-type', `folio ${f.id} on a type ${lruGenIndexType(idx)} list`);
    if (f.active) bad(RANK.genWindow, 'PG_active', `folio ${f.id} has PG_active on an MGLRU list`);
    if (window && !inWindow(g, folioType(f), f.gen))
      bad(RANK.genWindow, 'gen-window', `folio ${f.id} has flags gen ${f.gen} outside its window`);
  } else if (folioLruList(f) !== idx) bad(RANK.classic, 'list-flags', `folio ${f.id} on list ${idx} but its flags say ${folioLruList(f)}`);
}

/**
 * One folio an event touched: its state, and its place on the list it records of its
 * folio_memcg's lruvec. `deep` (it moved or changed owner): its neighbours are on the same list,
 * of the same memcg and node. Unless a reparent holds its memcg locked (folios of the child sit on
 * the parent's lists until the objcgs are re-pointed): then only the links that exist are checked.
 */
export function checkFolio(sc: Scope, f: FolioView, deep: boolean): MemcgView | undefined {
  const m = checkFolioState(sc, f, deep);
  if (!m || f.list < 0) return undefined;
  const l = recordedList(sc.s, m, f);
  if (!l) {
    if (f.nid >= 0 && f.nid < m.nodeinfo.length) sc.bad(RANK.lists, 'list-index', `folio ${f.id} records list ${f.list}, which is no list`);
    return undefined;
  }
  const locked = sc.locked(m.id);
  checkLinks(sc, f, l, !locked);
  checkListFlags(sc, f, f.list, lruvecOf(m, f.nid).lrugen, !locked);
  if (deep && !locked) {
    for (const n of [f.prev, f.next]) {
      if (!n) continue;
      if (n.list !== f.list)
        sc.bad(RANK.lists, 'list-index', `folio ${n.id} is next to folio ${f.id} on list ${f.list} but records list ${n.list}`);
      if (n.nid !== f.nid) sc.bad(RANK.lists, 'folio-node', `folio ${n.id} of node ${n.nid} is next to folio ${f.id} of node ${f.nid}`);
      const nm = folioMemcgId(sc.s, n);
      if (nm !== m.id)
        sc.bad(RANK.lists, 'folio_memcg==lruvec_memcg', `folio ${n.id} (memcg ${nm}) is next to folio ${f.id} on ${m.path}'s lruvec`);
    }
  }
  return m;
}

/** A folio next to a touched one, after the event: its links, where its own memcg says it is. */
export function checkNeighbour(sc: Scope, f: FolioView): void {
  if (f.list < 0) return;
  const m = liveMemcg(sc.s, f);
  if (!m) return;
  checkLinks(sc, f, recordedList(sc.s, m, f), !sc.locked(m.id));
}
