import { LabError } from '../errors.js';
import { LRU_GEN_ANON, LRU_GEN_FILE } from '../kernel/constants.js';
import { lruGenFromSeq } from '../kernel/lru_gen.js';
import { lruGenIndex } from '../kernel/mmzone.js';
import { lruvecOf } from '../kernel/node.js';
import type { KernelView, LruGenView, MemcgView } from '../kernel/state.js';
import { preOrder } from '../kernel/tree.js';
import type { ViewOptions } from './index.js';

/** One generation line: its seq, age in ms, anon and file pages. */
export interface LruGenLine {
  seq: number;
  age_ms: number;
  anon: number;
  file: number;
}

/** /sys/kernel/debug/lru_gen's content: memcgs in mem_cgroup_iter order, each with its nodes and their generations. */
export type LruGenValues = { memcg: number; path: string; nodes: { node: number; gens: LruGenLine[] }[] }[];

/**
 * /sys/kernel/debug/lru_gen (lru_gen_seq_show, non-full view): for every memcg mem_cgroup_iter
 * visits (dying ones included), `memcg <id> <path>`, ` node <nid>`, then one line per generation
 * from evictable_min_seq(min_seq, MAX_SWAPPINESS / 2) to max_seq: seq, age in ms, anon and file
 * pages (negative nr_pages printed as 0).
 */
export function readLruGen(s: KernelView, _root: MemcgView, { msPerTick }: ViewOptions): LruGenValues {
  if (!s.mglru) throw new LabError('/sys/kernel/debug/lru_gen needs MGLRU; this run has machine.lru = classic');
  return preOrder(s).map((m) => ({
    memcg: m.id,
    path: m.path,
    nodes: s.nodes.map(({ nid }) => ({ node: nid, gens: gens(s, lruvecOf(m, nid).lrugen, msPerTick) })),
  }));
}

/** A node's generations, evictable_min_seq to max_seq. */
function gens(s: KernelView, g: LruGenView, msPerTick: number): LruGenLine[] {
  const out: LruGenLine[] = [];
  for (let seq = Math.min(g.minSeq[LRU_GEN_ANON], g.minSeq[LRU_GEN_FILE]); seq <= g.maxSeq; seq++) {
    const gen = lruGenFromSeq(seq);
    const pages = (type: number) => Math.max(g.nrPages[lruGenIndex(gen, type)], 0);
    out.push({
      seq,
      age_ms: Math.max(0, Math.round((s.tick - g.timestamps[gen]) * msPerTick)),
      anon: pages(LRU_GEN_ANON),
      file: pages(LRU_GEN_FILE),
    });
  }
  return out;
}

export function formatLruGen(v: LruGenValues): string {
  let out = '';
  for (const m of v) {
    out += `memcg ${String(m.memcg).padStart(5)} ${m.path}\n`; // printed on the first node only
    for (const n of m.nodes) {
      out += ` node ${String(n.node).padStart(5)}\n`;
      for (const g of n.gens) {
        out += ` ${String(g.seq).padStart(10)} ${String(g.age_ms).padStart(10)}`;
        for (const p of [g.anon, g.file]) out += ` ${String(p).padStart(10)} `;
        out += '\n';
      }
    }
  }
  return out;
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
    if (gm && cur) cur.gens.push({ seq: +gm[1], age_ms: +gm[2], anon: +gm[3], file: +gm[4] });
  }
  return out;
}
