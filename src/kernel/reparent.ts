import { LRU_UNEVICTABLE, NR_LRU_LISTS } from './constants.js';
import { decodeSplice, SPLICE_MGLRU, SPLICE_REWRITE_HEAD, SPLICE_REWRITE_TAIL, SPLICE_SAME_GEN, SPLICE_SAME_GEN_TAIL } from './events.js';
import { listSplice, listSpliceTail } from './list.js';
import { genClassicList, lruGenUpdateSize } from './lru_gen.js';
import { lruGenIndex } from './mmzone.js';
import { lruvecOf } from './node.js';
import type { KernelState, ListHead, Lruvec } from './state.js';

/** splice.b carries the node as b + SPLICE_NID_UNIT × nid (above the MGLRU encoding's bits). */
export const SPLICE_NID_UNIT = 4096;

/**
 * One list of a dying child moved onto its parent, under both lruvec locks (reparent_locks), on
 * node `nid` (7.1 reparents node by node).
 * Classic (lru_reparent_memcg): list_splice_tail_init onto the parent's same list, sizes moved.
 * MGLRU same-gen (lru_gen_reparent_memcg): list_splice_init (or _tail_init, v1) onto the parent's
 * list of the same index, nr_pages moved by index and the classic counters by lru_gen_is_active(parent, gen); no
 * folio is touched. MGLRU rewrite modes (the alternatives the lab compares): every folio's gen is
 * rewritten to the chosen parent gen — a walk under the lock, counted in reparent_folios_walked.
 */
export function splice(s: KernelState, from: number, to: number, b: number, nid = 0): void {
  const child = s.memcgs.get(from);
  const parent = s.memcgs.get(to);
  if (!child || !parent) throw new Error(`splice between memcgs ${from} and ${to}, which are not both live`);
  if (s.reparentLocked.get(from) !== to) throw new Error('splice without reparent_locks');
  s.lab.reparentSplices++;
  if (!s.nodes[nid]) throw new Error(`splice on node ${nid}, which does not exist`);
  const clv = lruvecOf(child, nid);
  const plv = lruvecOf(parent, nid);
  if (b < SPLICE_MGLRU) return spliceClassic(clv, plv, b);
  if (!s.mglru) throw new Error('an MGLRU splice on a classic-LRU machine');
  const { childGen, type, parentGen, mode, staleStats } = decodeSplice(b);
  const src = clv.lrugen.lists[lruGenIndex(childGen, type)];
  const dst = plv.lrugen.lists[lruGenIndex(parentGen, type)];
  if (mode === SPLICE_SAME_GEN || mode === SPLICE_SAME_GEN_TAIL) {
    if (childGen !== parentGen) throw new Error('a same-gen splice onto another gen index');
    return spliceSameGen(clv, plv, src, dst, childGen, type, mode === SPLICE_SAME_GEN_TAIL, staleStats);
  }
  if (staleStats) throw new Error('the stale-active-stats bit on a splice that rewrites gens');
  if (mode !== SPLICE_REWRITE_TAIL && mode !== SPLICE_REWRITE_HEAD) throw new Error(`bad splice mode ${mode}`);
  rewriteGens(s, clv, plv, src, type, parentGen);
  if (mode === SPLICE_REWRITE_TAIL) listSpliceTail(src, dst);
  else listSplice(src, dst);
}

/**
 * lru_gen_reparent_memcg(), one (gen, type): nr_pages and the classic counters moved by index;
 * the list goes to the head (list_splice_init: v3..v6, f304652609ea) or, `tail`, to the tail
 * (list_splice_tail_init: v1/v2 and the fix agreed in the v6 review; switch mglru_splice_tail).
 */
function spliceSameGen(
  clv: Lruvec,
  plv: Lruvec,
  src: ListHead,
  dst: ListHead,
  gen: number,
  type: number,
  tail: boolean,
  staleStats: boolean,
): void {
  const cg = clv.lrugen;
  const pg = plv.lrugen;
  const i = lruGenIndex(gen, type);
  const n = cg.nrPages[i];
  for (let f = src.head; f; f = f.next) f.list = i;
  if (tail) listSpliceTail(src, dst);
  else listSplice(src, dst);
  cg.nrPages[i] = 0;
  pg.nrPages[i] += n;
  const from = genClassicList(cg, type, gen);
  const to = genClassicList(pg, type, gen);
  // the v3 bug: counters left alone when the gen is active in one and inactive in the other
  if (staleStats && from !== to) return;
  clv.size[from] -= n;
  plv.size[to] += n;
}

/** lru_reparent_memcg(), one list: list_splice_tail_init and the lru size moved (unevictable: size only). */
function spliceClassic(clv: Lruvec, plv: Lruvec, lru: number): void {
  if (lru < 0 || lru >= NR_LRU_LISTS) throw new Error(`bad lru ${lru}`);
  if (lru !== LRU_UNEVICTABLE) {
    for (let f = clv.lists[lru].head; f; f = f.next) f.list = lru;
    listSpliceTail(clv.lists[lru], plv.lists[lru]);
  }
  plv.size[lru] += clv.size[lru];
  clv.size[lru] = 0;
}

/** Walk a child list, moving each folio's flags gen (and its size) to `gen` in the parent. */
function rewriteGens(s: KernelState, clv: Lruvec, plv: Lruvec, src: ListHead, type: number, gen: number): void {
  for (let f = src.head; f; f = f.next) {
    lruGenUpdateSize(clv, type, f.gen, -1);
    f.gen = gen;
    f.list = lruGenIndex(gen, type);
    lruGenUpdateSize(plv, type, -1, gen);
    s.lab.reparentFoliosWalked++;
  }
}
