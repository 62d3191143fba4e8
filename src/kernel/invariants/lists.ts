import { LRU_UNEVICTABLE, NR_LRU_LISTS } from '../constants.js';
import { type FolioView, folioLruList, folioMemcgId, type KernelView, type MemcgView } from '../state.js';
import type { Census, Report } from './types.js';
import { allLruvecs, type ListRef, lruvecLists } from './walk.js';

/**
 * list_head integrity (CONFIG_DEBUG_LIST) and placement: links run both ways, counts match,
 * each folio records the list it is on and sits on exactly one, and folio_memcg == lruvec_memcg
 * unless a reparent holds both lruvec locks.
 */
export function checkListLinks(s: KernelView, c: Census, bad: Report): void {
  const seen = new Set<number>();
  for (const { m, nid, lv } of allLruvecs(s)) {
    for (const ref of lruvecLists(s, lv)) walkList(s, m, nid, ref, c.locked.has(m.id), seen, bad);
  }
  if (seen.size !== s.folios.size) bad('one-list', `${s.folios.size} folios but ${seen.size} on lists`);
}

function walkList(
  s: KernelView,
  m: MemcgView,
  nid: number,
  { list, idx, name }: ListRef,
  locked: boolean,
  seen: Set<number>,
  bad: Report,
): void {
  let n = 0;
  let prev: FolioView | null = null;
  for (let f = list.head; f; f = f.next) {
    n++;
    if (f.prev !== prev) bad('list-links', `${m.path} ${name}: broken prev link at folio ${f.id}`);
    prev = f;
    if (seen.has(f.id)) bad('one-list', `folio ${f.id} is on more than one list`);
    seen.add(f.id);
    if (f.list !== idx) bad('list-index', `folio ${f.id} is on ${name} but records list ${f.list}`);
    if (f.nid !== nid) bad('folio-node', `folio ${f.id} of node ${f.nid} is on ${m.path}'s node ${nid} lruvec`);
    const fm = folioMemcgId(s, f);
    if (fm !== m.id && !locked) bad('folio_memcg==lruvec_memcg', `folio ${f.id} on ${m.path}'s lruvec but folio_memcg is ${fm}`);
    if (n > s.folios.size) break;
  }
  if (list.tail !== prev) bad('list-links', `${m.path} ${name}: tail is not the last folio`);
  if (n !== list.count) bad('list-count', `${m.path} ${name}: count ${list.count} but ${n} linked`);
}

/**
 * The classic lists: unused under MGLRU; a folio's flags (folio_lru_list) name the list it is on;
 * lru_zone_size = folios listed (classic, unlocked), never negative.
 */
export function checkClassicLists(s: KernelView, c: Census, bad: Report): void {
  for (const { m, lv } of allLruvecs(s)) {
    for (let lru = 0; lru < NR_LRU_LISTS; lru++) {
      const l = lv.lists[lru];
      if (s.mglru && l.count) bad('mglru-classic-lists', `${m.path}: classic list ${lru} is in use under MGLRU`);
      for (let f = l.head; f; f = f.next)
        if (folioLruList(f) !== lru) bad('list-flags', `folio ${f.id} on list ${lru} but its flags say ${folioLruList(f)}`);
      if (lru !== LRU_UNEVICTABLE && !s.mglru && lv.size[lru] !== l.count && !c.locked.has(m.id)) {
        bad('lru-size', `${m.path} ${lru}: lru_zone_size ${lv.size[lru]} but ${l.count} folios listed`);
      }
      if (lv.size[lru] < 0) bad('lru-size', `${m.path} list ${lru}: negative size`);
    }
  }
}
