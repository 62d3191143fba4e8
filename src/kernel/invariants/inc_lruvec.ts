import { ANON_AND_FILE, LRU_UNEVICTABLE, MAX_NR_GENS, MIN_NR_GENS, NR_EVICTABLE_LRU, NR_LRU_LISTS } from '../constants.js';
import { folioType, genClassicList, getNrGens } from '../lru_gen.js';
import { lruGenIndex } from '../mmzone.js';
import { lruvecOf } from '../node.js';
import { type FolioView, folioMemcgId, type ListView, type MemcgView } from '../state.js';
import { checkFolioState, checkListFlags, inWindow } from './inc_folio.js';
import { RANK, type Scope } from './inc_types.js';
import type { Tally } from './tally.js';

// The counters of one lruvec against the tallies (incremental.ts), in O(lists): what
// checkClassicLists, checkNrGens, checkGenWindow and checkNrPages check per lruvec, with the
// folios counted by the tallies instead of a walk. walkLruvec is the walk itself, for the rare
// events that move whole lists.

const ZERO = new Int32Array(8);
const sizes = new Array<number>(NR_EVICTABLE_LRU).fill(0);

/** A list's ends and emptiness: head has no prev, tail no next, an empty list has neither and counts 0. */
function checkEnds(sc: Scope, m: MemcgView, l: ListView, name: string): void {
  if (l.head ? l.head.prev !== null || !l.tail || l.tail.next !== null : l.tail !== null)
    sc.bad(RANK.lists, 'list-links', `${m.path} ${name}: broken head or tail`);
  else if (!l.head && l.count !== 0) sc.bad(RANK.lists, 'list-count', `${m.path} ${name}: count ${l.count} but 0 linked`);
}

const NOOP = () => {};

/**
 * A list whose count differs from the folios that record it (by the tallies): walk it, so what is
 * reported is what the full check's walk of it reports (a broken link, a folio of another memcg,
 * a count that is off); if the walk finds nothing wrong, a folio recording this list of this
 * memcg sits on another lruvec (where the full check's walk finds it). Only on a violation.
 */
function countMismatch(sc: Scope, m: MemcgView, nid: number, l: ListView, idx: number, recorded: number): void {
  const before = sc.reported();
  walkList(sc, m, nid, l, idx, NOOP);
  if (sc.reported() === before)
    sc.bad(
      RANK.lists,
      'folio_memcg==lruvec_memcg',
      `${m.path} list ${idx}: ${recorded} folios of this memcg record it but ${l.count} are on it: the others sit on another lruvec`,
    );
}

/**
 * The counters of memcg m's lruvec on node nid: list counts = folios recorded on them, classic
 * lru_zone_size = list counts, MGLRU nr_pages[gen][type] (+ a pending walk batch) = folios of that
 * flags gen, the active/inactive counters = their gens, the gen window. The counters a reparent
 * may have mid-move are skipped while it holds the lruvec locked (as checkInvariants does).
 */
export function checkLruvec(sc: Scope, m: MemcgView, nid: number): void {
  const { s, bad } = sc;
  const lv = lruvecOf(m, nid);
  const locked = sc.locked(m.id);
  const t: Tally | undefined = sc.t.byMemcg.peek(m.id, nid);
  const byList = t ? t.list : ZERO;
  for (let lru = 0; lru < NR_LRU_LISTS; lru++) {
    const l = lv.lists[lru];
    checkEnds(sc, m, l, `list ${lru}`);
    if (s.mglru) {
      if (l.count) bad(RANK.classic, 'mglru-classic-lists', `${m.path}: classic list ${lru} is in use under MGLRU`);
    } else if (!locked) {
      if (l.count !== byList[lru]) countMismatch(sc, m, nid, l, lru, byList[lru]);
      if (lru !== LRU_UNEVICTABLE && lv.size[lru] !== l.count)
        bad(RANK.classic, 'lru-size', `${m.path} ${lru}: lru_zone_size ${lv.size[lru]} but ${l.count} folios listed`);
    }
    if (lv.size[lru] < 0) bad(RANK.classic, 'lru-size', `${m.path} list ${lru}: negative size`);
  }
  if (!s.mglru) return;
  const g = lv.lrugen;
  const walk = s.walk;
  const pending = walk && walk.home === m.id && walk.nid === nid ? walk.delta : null;
  const byGen = t ? t.gen : ZERO;
  // a list that holds other folios than its memcg's tallies say: the tallies cannot vouch for nr_pages
  let trusted = !locked;
  for (let i = 0; trusted && i < MAX_NR_GENS * ANON_AND_FILE; i++) trusted = g.lists[i].count === byList[i];
  sizes.fill(0);
  for (let type = 0; type < ANON_AND_FILE; type++) {
    const nr = getNrGens(g, type);
    if (nr < MIN_NR_GENS || nr > MAX_NR_GENS) bad(RANK.nrGens, 'nr_gens', `${m.path} type ${type}: ${nr} generations`);
    for (let gen = 0; gen < MAX_NR_GENS; gen++) {
      const i = lruGenIndex(gen, type);
      const l = g.lists[i];
      checkEnds(sc, m, l, `gen ${gen} type ${type}`);
      const inw = inWindow(g, type, gen);
      if (l.count && !inw) bad(RANK.genWindow, 'gen-window', `${m.path}: list of gen ${gen} type ${type} is outside [min_seq, max_seq]`);
      sizes[genClassicList(g, type, gen)] += g.nrPages[i];
      if (locked) continue;
      if (l.count !== byList[i]) countMismatch(sc, m, nid, l, i, byList[i]);
      if (!trusted) continue;
      if (!inw && byGen[i]) bad(RANK.genWindow, 'gen-window', `${byGen[i]} folios of ${m.path} have flags gen ${gen} outside the window`);
      const batched = pending ? pending[i] : 0;
      const byFlags = inw ? byGen[i] : 0;
      if (g.nrPages[i] + batched !== byFlags)
        bad(
          RANK.nrPages,
          'nr_pages',
          `${m.path} gen ${gen} type ${type}: nr_pages ${g.nrPages[i]}${batched ? ` + ${batched} batched` : ''} but ${byFlags} folios have that flags gen`,
        );
    }
  }
  if (locked) return;
  for (let lru = 0; lru < NR_EVICTABLE_LRU; lru++) {
    if (lv.size[lru] !== sizes[lru])
      bad(RANK.nrPages, 'active-inactive', `${m.path} list ${lru}: counter ${lv.size[lru]} but gens hold ${sizes[lru]}`);
  }
}

/**
 * The counters of the one list slot a folio sits in, for an event that touched the folio without
 * moving it: the list's count and ends, its lru_zone_size (classic) or its flags gen's nr_pages (MGLRU).
 */
export function checkSlot(sc: Scope, m: MemcgView, f: FolioView): void {
  const { s, bad } = sc;
  if (sc.locked(m.id)) return;
  const lv = lruvecOf(m, f.nid);
  const t = sc.t.byMemcg.peek(m.id, f.nid);
  const i = f.list;
  if (s.mglru) {
    const g = lv.lrugen;
    const l = g.lists[i];
    checkEnds(sc, m, l, `gen list ${i}`);
    if (l.count !== (t ? t.list[i] : 0)) return countMismatch(sc, m, f.nid, l, i, t ? t.list[i] : 0);
    const type = folioType(f);
    if (!inWindow(g, type, f.gen)) return; // checkListFlags reported it
    const k = lruGenIndex(f.gen, type);
    const walk = s.walk;
    const batched = walk && walk.home === m.id && walk.nid === f.nid ? walk.delta[k] : 0;
    const byFlags = t ? t.gen[k] : 0;
    if (g.nrPages[k] + batched !== byFlags)
      bad(
        RANK.nrPages,
        'nr_pages',
        `${m.path} gen ${f.gen} type ${type}: nr_pages ${g.nrPages[k]}${batched ? ` + ${batched} batched` : ''} but ${byFlags} folios have that flags gen`,
      );
  } else {
    const l = lv.lists[i];
    checkEnds(sc, m, l, `list ${i}`);
    if (l.count !== (t ? t.list[i] : 0)) countMismatch(sc, m, f.nid, l, i, t ? t.list[i] : 0);
    if (i !== LRU_UNEVICTABLE && lv.size[i] !== l.count)
      bad(RANK.classic, 'lru-size', `${m.path} ${i}: lru_zone_size ${lv.size[i]} but ${l.count} folios listed`);
  }
}

/** One list walked (checkListLinks' walkList): links, count, each folio's record, node, memcg and flags; `seen` gets each folio. */
export function walkList(sc: Scope, m: MemcgView, nid: number, l: ListView, idx: number, seen: (f: FolioView) => void): void {
  const { s, bad } = sc;
  const locked = sc.locked(m.id);
  const g = lruvecOf(m, nid).lrugen;
  const name = s.mglru && idx >= 0 ? `gen list ${idx}` : `list ${idx}`;
  let n = 0;
  let prev: FolioView | null = null;
  for (let f = l.head; f; f = f.next) {
    n++;
    if (f.prev !== prev) bad(RANK.lists, 'list-links', `${m.path} ${name}: broken prev link at folio ${f.id}`);
    prev = f;
    if (f.list !== idx) bad(RANK.lists, 'list-index', `folio ${f.id} is on ${name} but records list ${f.list}`);
    if (f.nid !== nid) bad(RANK.lists, 'folio-node', `folio ${f.id} of node ${f.nid} is on ${m.path}'s node ${nid} lruvec`);
    const fm = folioMemcgId(s, f);
    if (fm !== m.id && !locked)
      bad(RANK.lists, 'folio_memcg==lruvec_memcg', `folio ${f.id} on ${m.path}'s lruvec but folio_memcg is ${fm}`);
    checkFolioState(sc, f);
    checkListFlags(sc, f, idx, g, true);
    seen(f);
    if (n > s.folios.size) break;
  }
  if (l.tail !== prev) bad(RANK.lists, 'list-links', `${m.path} ${name}: tail is not the last folio`);
  if (n !== l.count) bad(RANK.lists, 'list-count', `${m.path} ${name}: count ${l.count} but ${n} linked`);
}

/** Every list of memcg m's lruvec on node nid walked (the classic lists, and the gen lists under MGLRU). */
export function walkLruvec(sc: Scope, m: MemcgView, nid: number, seen: (f: FolioView) => void): void {
  const lv = lruvecOf(m, nid);
  for (let lru = 0; lru < NR_LRU_LISTS; lru++) walkList(sc, m, nid, lv.lists[lru], lru, seen);
  if (!sc.s.mglru) return;
  for (let i = 0; i < MAX_NR_GENS * ANON_AND_FILE; i++) walkList(sc, m, nid, lv.lrugen.lists[i], i, seen);
}
