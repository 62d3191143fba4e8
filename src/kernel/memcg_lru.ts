import { MEMCG_NR_BINS, MEMCG_NR_GENS } from './constants.js';
import { lruvecOf } from './node.js';
import type { Memcg, PgData } from './state.js';

// The per-node memcg LRU of MGLRU (mm/vmscan.c lru_gen_rotate_memcg & co): global reclaim walks
// fifo[old gen][bins]; an offlined memcg goes to the head of the old gen, so it is reclaimed first.

export const MEMCG_LRU_NOP = 0;
export const MEMCG_LRU_HEAD = 1;
export const MEMCG_LRU_TAIL = 2;
export const MEMCG_LRU_OLD = 3;
export const MEMCG_LRU_YOUNG = 4;

export function getMemcgGen(seq: number): number {
  return seq % MEMCG_NR_GENS;
}

/** pgdat->memcg_lru.fifo[gen][bin] */
function fifo(pgdat: PgData, gen: number, bin: number): number[] {
  return pgdat.memcgLru.fifo[memcgLruIndex(gen, bin)];
}

/** The flat index of fifo[gen][bin]. */
export function memcgLruIndex(gen: number, bin: number): number {
  return gen * MEMCG_NR_BINS + bin;
}

function remove(pgdat: PgData, m: Memcg): void {
  const g = lruvecOf(m, pgdat.nid).lrugen;
  for (let bin = 0; bin < MEMCG_NR_BINS; bin++) {
    const list = fifo(pgdat, g.memcgGen, bin);
    const i = list.indexOf(m.id);
    if (i >= 0) {
      list.splice(i, 1);
      return;
    }
  }
  throw new Error(`memcg ${m.id} is not on the memcg LRU`);
}

/** The old gen emptied: it becomes the young one. */
function maybeAdvance(pgdat: PgData, old: number): void {
  const lru = pgdat.memcgLru;
  if (!lru.nrMemcgs[old] && old === getMemcgGen(lru.seq)) lru.seq++;
}

/** lru_gen_online_memcg(): the tail of a (random) bin of the old gen. */
export function memcgLruOnline(pgdat: PgData, m: Memcg, bin: number): void {
  const gen = getMemcgGen(pgdat.memcgLru.seq);
  const g = lruvecOf(m, pgdat.nid).lrugen;
  g.memcgGen = gen;
  g.memcgSeg = 0;
  fifo(pgdat, gen, bin).push(m.id);
  pgdat.memcgLru.nrMemcgs[gen]++;
}

/** lru_gen_rotate_memcg(op). */
export function memcgLruRotate(pgdat: PgData, m: Memcg, op: number, bin: number): void {
  const g = lruvecOf(m, pgdat.nid).lrugen;
  const old = g.memcgGen;
  let gen = old;
  let seg = 0;
  if (op === MEMCG_LRU_HEAD) seg = MEMCG_LRU_HEAD;
  else if (op === MEMCG_LRU_TAIL) seg = MEMCG_LRU_TAIL;
  else if (op === MEMCG_LRU_OLD) gen = getMemcgGen(pgdat.memcgLru.seq);
  else if (op === MEMCG_LRU_YOUNG) gen = getMemcgGen(pgdat.memcgLru.seq + 1);
  else throw new Error(`bad memcg LRU op ${op}`);
  remove(pgdat, m);
  g.memcgSeg = seg;
  g.memcgGen = gen;
  if (op === MEMCG_LRU_HEAD || op === MEMCG_LRU_OLD) fifo(pgdat, gen, bin).unshift(m.id);
  else fifo(pgdat, gen, bin).push(m.id);
  pgdat.memcgLru.nrMemcgs[old]--;
  pgdat.memcgLru.nrMemcgs[gen]++;
  maybeAdvance(pgdat, old);
}

/** lru_gen_release_memcg(): off the fifo when the css is released. */
export function memcgLruRelease(pgdat: PgData, m: Memcg): void {
  const gen = lruvecOf(m, pgdat.nid).lrugen.memcgGen;
  remove(pgdat, m);
  pgdat.memcgLru.nrMemcgs[gen]--;
  maybeAdvance(pgdat, gen);
}
