import { ANON_AND_FILE, MAX_NR_GENS, MIN_NR_GENS, NR_EVICTABLE_LRU } from '../constants.js';
import { folioType, genClassicList, getNrGens, lruGenFromSeq } from '../lru_gen.js';
import { lruGenIndex } from '../mmzone.js';
import { lruvecOf } from '../node.js';
import type { KernelView, LruGenView } from '../state.js';
import type { Census, Report } from './types.js';
import { allLruvecs } from './walk.js';

// MGLRU (reference §6.2-4). The list a folio sits on may differ from its flags gen (lazy sorting).

/** seq_is_valid(): MIN_NR_GENS <= nr_gens <= MAX_NR_GENS for both types. */
export function checkNrGens(s: KernelView, _c: Census, bad: Report): void {
  if (!s.mglru) return;
  for (const { m, lv } of allLruvecs(s)) {
    for (let type = 0; type < ANON_AND_FILE; type++) {
      const nr = getNrGens(lv.lrugen, type);
      if (nr < MIN_NR_GENS || nr > MAX_NR_GENS) bad('nr_gens', `${m.path} type ${type}: ${nr} generations`);
    }
  }
}

/** A gen index is inside [min_seq[type], max_seq]. */
function inWindow(g: LruGenView, type: number, gen: number): boolean {
  for (let seq = g.minSeq[type]; seq <= g.maxSeq; seq++) if (lruGenFromSeq(seq) === gen) return true;
  return false;
}

/**
 * Non-empty gen lists and every flags gen lie inside the window; a folio is on a list of its own
 * type; PG_active is clear on MGLRU lists.
 */
export function checkGenWindow(s: KernelView, _c: Census, bad: Report): void {
  if (!s.mglru) return;
  for (const { m, lv } of allLruvecs(s)) {
    const g = lv.lrugen;
    for (let type = 0; type < ANON_AND_FILE; type++) {
      for (let gen = 0; gen < MAX_NR_GENS; gen++) {
        const l = g.lists[lruGenIndex(gen, type)];
        if (l.count && !inWindow(g, type, gen))
          bad('gen-window', `${m.path}: list of gen ${gen} type ${type} is outside [min_seq, max_seq]`);
        for (let f = l.head; f; f = f.next) {
          if (folioType(f) !== type) bad('gen-type', `folio ${f.id} on a type ${type} list`);
          if (f.active) bad('PG_active', `folio ${f.id} has PG_active on an MGLRU list`);
          if (!inWindow(g, type, f.gen)) bad('gen-window', `folio ${f.id} has flags gen ${f.gen} outside ${m.path}'s window`);
        }
      }
    }
  }
}

/**
 * nr_pages[gen][type] = folios whose flags gen is gen (lru_gen_update_size), and the classic
 * active/inactive counters = the gens lru_gen_is_active() maps to them. Not while a reparent
 * holds the lruvec locked. A walk's batch (s.walk.delta) counts toward the lruvec it will be
 * written into (s.walk.home): nr_pages plus what is pending there = the folios.
 */
export function checkNrPages(s: KernelView, c: Census, bad: Report): void {
  if (!s.mglru) return;
  for (const { m, lv } of allLruvecs(s)) {
    if (c.locked.has(m.id)) continue;
    const g = lv.lrugen;
    const walk = s.walk;
    const pending = walk && walk.home === m.id && lruvecOf(m, walk.nid) === lv ? walk.delta : null;
    const byFlags = new Array<number>(MAX_NR_GENS * ANON_AND_FILE).fill(0);
    for (const l of g.lists) {
      for (let f = l.head; f; f = f.next) if (inWindow(g, folioType(f), f.gen)) byFlags[lruGenIndex(f.gen, folioType(f))]++;
    }
    const sizes = new Array<number>(NR_EVICTABLE_LRU).fill(0);
    for (let type = 0; type < ANON_AND_FILE; type++) {
      for (let gen = 0; gen < MAX_NR_GENS; gen++) {
        const i = lruGenIndex(gen, type);
        const batched = pending ? pending[i] : 0;
        if (g.nrPages[i] + batched !== byFlags[i])
          bad(
            'nr_pages',
            `${m.path} gen ${gen} type ${type}: nr_pages ${g.nrPages[i]}${batched ? ` + ${batched} batched` : ''} but ${byFlags[i]} folios have that flags gen`,
          );
        sizes[genClassicList(g, type, gen)] += g.nrPages[i];
      }
    }
    for (let lru = 0; lru < NR_EVICTABLE_LRU; lru++) {
      if (lv.size[lru] !== sizes[lru]) bad('active-inactive', `${m.path} list ${lru}: counter ${lv.size[lru]} but gens hold ${sizes[lru]}`);
    }
  }
}
