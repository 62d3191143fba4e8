import { MEMCG_NR_BINS, MEMCG_NR_GENS } from './constants.js';
import type { KernelState, Memcg } from './state.js';

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

function fifo(s: KernelState, gen: number, bin: number): number[] {
  return s.memcgLru.fifo[gen * MEMCG_NR_BINS + bin];
}

function remove(s: KernelState, m: Memcg): void {
  const g = m.lruvec.lrugen;
  for (let bin = 0; bin < MEMCG_NR_BINS; bin++) {
    const list = fifo(s, g.memcgGen, bin);
    const i = list.indexOf(m.id);
    if (i >= 0) {
      list.splice(i, 1);
      return;
    }
  }
  throw new Error(`memcg ${m.id} is not on the memcg LRU`);
}

/** The old gen emptied: it becomes the young one. */
function maybeAdvance(s: KernelState, old: number): void {
  const lru = s.memcgLru;
  if (!lru.nrMemcgs[old] && old === getMemcgGen(lru.seq)) lru.seq++;
}

/** lru_gen_online_memcg(): the tail of a (random) bin of the old gen. */
export function memcgLruOnline(s: KernelState, m: Memcg, bin: number): void {
  const gen = getMemcgGen(s.memcgLru.seq);
  m.lruvec.lrugen.memcgGen = gen;
  m.lruvec.lrugen.memcgSeg = 0;
  fifo(s, gen, bin).push(m.id);
  s.memcgLru.nrMemcgs[gen]++;
}

/** lru_gen_rotate_memcg(op). */
export function memcgLruRotate(s: KernelState, m: Memcg, op: number, bin: number): void {
  const g = m.lruvec.lrugen;
  const old = g.memcgGen;
  let gen = old;
  let seg = 0;
  if (op === MEMCG_LRU_HEAD) seg = MEMCG_LRU_HEAD;
  else if (op === MEMCG_LRU_TAIL) seg = MEMCG_LRU_TAIL;
  else if (op === MEMCG_LRU_OLD) gen = getMemcgGen(s.memcgLru.seq);
  else if (op === MEMCG_LRU_YOUNG) gen = getMemcgGen(s.memcgLru.seq + 1);
  else throw new Error(`bad memcg LRU op ${op}`);
  remove(s, m);
  g.memcgSeg = seg;
  g.memcgGen = gen;
  if (op === MEMCG_LRU_HEAD || op === MEMCG_LRU_OLD) fifo(s, gen, bin).unshift(m.id);
  else fifo(s, gen, bin).push(m.id);
  s.memcgLru.nrMemcgs[old]--;
  s.memcgLru.nrMemcgs[gen]++;
  maybeAdvance(s, old);
}

/** lru_gen_release_memcg(): off the fifo when the css is released. */
export function memcgLruRelease(s: KernelState, m: Memcg): void {
  const gen = m.lruvec.lrugen.memcgGen;
  remove(s, m);
  s.memcgLru.nrMemcgs[gen]--;
  maybeAdvance(s, gen);
}
