import { LabError } from '../errors.js';
import { ANON_AND_FILE, LRU_GEN_ANON, LRU_GEN_FILE } from '../kernel/constants.js';
import { lruGenFromSeq } from '../kernel/lru_gen.js';
import { lruGenIndex } from '../kernel/mmzone.js';
import { lruvecOf } from '../kernel/node.js';
import type { KernelView, LruGenView, MemcgView } from '../kernel/state.js';
import { preOrder } from '../kernel/tree.js';
import type { ViewOptions } from './index.js';

/**
 * /sys/kernel/debug/lru_gen (lru_gen_seq_show, non-full view): for every memcg mem_cgroup_iter
 * visits (dying ones included), `memcg <id> <path>`, ` node <nid>`, then one line per generation
 * from evictable_min_seq(min_seq, MAX_SWAPPINESS / 2) to max_seq: seq, age in ms, anon and file
 * pages (negative nr_pages printed as 0).
 */
export function renderLruGen(s: KernelView, _root: MemcgView, { msPerTick }: ViewOptions): string {
  if (!s.mglru) throw new LabError('/sys/kernel/debug/lru_gen needs MGLRU; this run has machine.lru = classic');
  let out = '';
  for (const m of preOrder(s)) {
    out += `memcg ${String(m.id).padStart(5)} ${m.path}\n`; // printed on the first node only
    for (const { nid } of s.nodes) out += renderNode(s, lruvecOf(m, nid).lrugen, nid, msPerTick);
  }
  return out;
}

/** One ` node <nid>` block: a line per generation, evictable_min_seq to max_seq. */
function renderNode(s: KernelView, g: LruGenView, nid: number, msPerTick: number): string {
  let out = ` node ${String(nid).padStart(5)}\n`;
  for (let seq = Math.min(g.minSeq[LRU_GEN_ANON], g.minSeq[LRU_GEN_FILE]); seq <= g.maxSeq; seq++) {
    const gen = lruGenFromSeq(seq);
    const age = Math.max(0, Math.round((s.tick - g.timestamps[gen]) * msPerTick));
    out += ` ${String(seq).padStart(10)} ${String(age).padStart(10)}`;
    for (let type = 0; type < ANON_AND_FILE; type++) out += ` ${String(Math.max(g.nrPages[lruGenIndex(gen, type)], 0)).padStart(10)} `;
    out += '\n';
  }
  return out;
}

export interface LruGenLine {
  seq: number;
  ageMs: number;
  anon: number;
  file: number;
}

/** Parse the text back (tests, scripts): memcg id → its generation lines. */
export function parseLruGen(text: string): Map<number, { path: string; gens: LruGenLine[] }> {
  const out = new Map<number, { path: string; gens: LruGenLine[] }>();
  let cur: { path: string; gens: LruGenLine[] } | undefined;
  for (const line of text.split('\n')) {
    const mm = /^memcg\s+(\d+)\s+(.*)$/.exec(line);
    if (mm) {
      cur = { path: mm[2], gens: [] };
      out.set(Number(mm[1]), cur);
      continue;
    }
    const gm = /^\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(line);
    if (gm && cur) cur.gens.push({ seq: +gm[1], ageMs: +gm[2], anon: +gm[3], file: +gm[4] });
  }
  return out;
}
