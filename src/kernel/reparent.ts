import { LRU_UNEVICTABLE, NR_LRU_LISTS } from './constants.js';
import {
  decodeSplice, SPLICE_MGLRU, SPLICE_REWRITE_HEAD, SPLICE_REWRITE_TAIL, SPLICE_SAME_GEN,
} from './events.js';
import { lruGenIndex } from './mmzone.js';
import { listSplice, listSpliceTail } from './list.js';
import { genClassicList, lruGenUpdateSize } from './lru_gen.js';
import type { KernelState, ListHead, Memcg } from './state.js';

/**
 * One list of a dying child moved onto its parent, under both lruvec locks (reparent_locks).
 * Classic (lru_reparent_memcg): list_splice_tail_init onto the parent's same list, sizes moved.
 * MGLRU same-gen (lru_gen_reparent_memcg): list_splice_init onto the parent's list of the same
 * index, nr_pages moved by index and the classic counters by lru_gen_is_active(parent, gen); no
 * folio is touched. MGLRU rewrite modes (the alternatives the lab compares): every folio's gen is
 * rewritten to the chosen parent gen — a walk under the lock, counted in reparent_folios_walked.
 */
export function splice(s: KernelState, from: number, to: number, b: number): void {
  const child = s.memcgs.get(from);
  const parent = s.memcgs.get(to);
  if (!child || !parent) throw new Error(`splice between memcgs ${from} and ${to}, which are not both live`);
  if (s.reparentLocked.get(from) !== to) throw new Error('splice without reparent_locks');
  s.lab.reparentSplices++;
  if (b < SPLICE_MGLRU) return spliceClassic(child, parent, b);
  if (!s.mglru) throw new Error('an MGLRU splice on a classic-LRU machine');
  const { childGen, type, parentGen, mode } = decodeSplice(b);
  const src = child.lruvec.lrugen.lists[lruGenIndex(childGen, type)];
  const dst = parent.lruvec.lrugen.lists[lruGenIndex(parentGen, type)];
  if (mode === SPLICE_SAME_GEN) {
    if (childGen !== parentGen) throw new Error('a same-gen splice onto another gen index');
    const cg = child.lruvec.lrugen;
    const pg = parent.lruvec.lrugen;
    const n = cg.nrPages[lruGenIndex(childGen, type)];
    for (let f = src.head; f; f = f.next) f.list = lruGenIndex(parentGen, type);
    listSplice(src, dst);
    cg.nrPages[lruGenIndex(childGen, type)] = 0;
    pg.nrPages[lruGenIndex(parentGen, type)] += n;
    child.lruvec.size[genClassicList(cg, type, childGen)] -= n;
    parent.lruvec.size[genClassicList(pg, type, parentGen)] += n;
    return;
  }
  if (mode !== SPLICE_REWRITE_TAIL && mode !== SPLICE_REWRITE_HEAD) throw new Error(`bad splice mode ${mode}`);
  rewriteGens(s, child, parent, src, type, parentGen);
  if (mode === SPLICE_REWRITE_TAIL) listSpliceTail(src, dst);
  else listSplice(src, dst);
}

function spliceClassic(child: Memcg, parent: Memcg, lru: number): void {
  if (lru < 0 || lru >= NR_LRU_LISTS) throw new Error(`bad lru ${lru}`);
  if (lru !== LRU_UNEVICTABLE) {
    for (let f = child.lruvec.lists[lru].head; f; f = f.next) f.list = lru;
    listSpliceTail(child.lruvec.lists[lru], parent.lruvec.lists[lru]);
  }
  parent.lruvec.size[lru] += child.lruvec.size[lru];
  child.lruvec.size[lru] = 0;
}

/** Walk a child list, moving each folio's flags gen (and its size) to `gen` in the parent. */
function rewriteGens(s: KernelState, child: Memcg, parent: Memcg, src: ListHead, type: number, gen: number): void {
  for (let f = src.head; f; f = f.next) {
    lruGenUpdateSize(child.lruvec, type, f.gen, -1);
    f.gen = gen;
    f.list = lruGenIndex(gen, type);
    lruGenUpdateSize(parent.lruvec, type, -1, gen);
    s.lab.reparentFoliosWalked++;
  }
}
