import { MEMCG_NR_BINS, MEMCG_NR_GENS } from '../constants.js';
import { lruvecOf } from '../node.js';
import type { KernelView } from '../state.js';
import type { Census, Report } from './types.js';

/** Every live memcg sits once on each node's memcg LRU, in the gen its lruvec records; nr_memcgs counts them. */
export function checkMemcgLru(s: KernelView, _c: Census, bad: Report): void {
  if (!s.mglru) return;
  for (const pgdat of s.nodes) {
    const seenAt = new Map<number, number>();
    const counts = new Array<number>(MEMCG_NR_GENS).fill(0);
    pgdat.memcgLru.fifo.forEach((bin, i) => {
      const gen = Math.floor(i / MEMCG_NR_BINS);
      for (const id of bin) {
        if (seenAt.has(id)) bad('memcg-lru', `memcg ${id} is on the memcg LRU twice`);
        seenAt.set(id, gen);
        counts[gen]++;
        const m = s.memcgs.get(id);
        if (!m) bad('memcg-lru', `memcg ${id} is on the memcg LRU but not live`);
        else if (lruvecOf(m, pgdat.nid).lrugen.memcgGen !== gen)
          bad('memcg-lru', `${m.path} is in gen ${gen} but records ${lruvecOf(m, pgdat.nid).lrugen.memcgGen}`);
      }
    });
    for (const m of s.memcgs.values()) if (!seenAt.has(m.id)) bad('memcg-lru', `${m.path} is not on the memcg LRU`);
    for (let gen = 0; gen < MEMCG_NR_GENS; gen++) {
      if (counts[gen] !== pgdat.memcgLru.nrMemcgs[gen])
        bad('memcg-lru', `nr_memcgs[${gen}] ${pgdat.memcgLru.nrMemcgs[gen]} but ${counts[gen]} listed`);
    }
  }
}
