import { createHash } from 'node:crypto';
import { Writer } from './codec.js';
import { NR_LRU_LISTS } from './constants.js';
import { lruvecOf } from './node.js';
import type { KernelView, LruGenView, MemcgView } from './state.js';

/**
 * The canonical encoding of the whole kernel state: used for snapshots and for the state hash.
 * Maps are written in their insertion order (which only the events decide) so a state read back
 * iterates exactly as the one that was written; lists are written head to tail.
 */
export const STATE_FORMAT_VERSION = 8;
/**
 * Format 7: issue 9's reclaim state (vm, swap, dirty/writeback queues, iterators) and memcg limits
 * (memory.events, the stock). Format 8 (issue 12): more than one node: a node count and the
 * placement after the version, each folio's and shadow's nid, and every per-node part (objcgs,
 * lruvec, iterator, memcg LRU, kswapd) once per node. A state of one node is still written as
 * format 7, byte for byte, so its snapshots and state hashes do not move. Older snapshots do not
 * decode: replay folds from an earlier one or from the start.
 */
export const OLDEST_FORMAT_VERSION = 7;
/** The format a state of one node is written in. */
export const ONE_NODE_FORMAT_VERSION = 7;

export const TRAILER_WALK = 1;
export const TRAILER_RCU = 2;
export const TRAILER_FREED_READS = 3;
export const TRAILER_WRONG_LOCKS = 4;
/** 5: memcg deferred split queues (machine.concurrency.thpSplitQueue) */
export const TRAILER_SPLIT_QUEUES = 5;
export const TRAILER_MEMCG_GET = 7;
export const TRAILER_SPINS = 8;
export const TRAILER_OFFLINING = 9;

export function serializeState(s: KernelView): Buffer {
  const multi = s.nodes.length > 1;
  const w = new Writer();
  w.u(multi ? STATE_FORMAT_VERSION : ONE_NODE_FORMAT_VERSION);
  if (multi) {
    w.u(s.nodes.length);
    w.bool(s.interleave);
  }
  w.u(s.seq);
  w.u(s.tick);
  w.u(s.memoryPages);
  w.bool(s.mglru);
  w.bool(s.objcgCharging);
  w.u(s.nextFolio);
  w.u(s.nextObjcg);
  w.u(s.nextMemcg);
  w.u(s.cycle);
  w.u(s.reclaims);
  w.u(s.lruvecsScanned);
  w.u(s.folios.size);
  for (const f of s.folios.values()) {
    w.u(f.id);
    if (multi) w.u(f.nid);
    w.bool(f.file);
    w.i(f.key);
    w.u(f.owner);
    w.u(
      (f.active ? 1 : 0) |
        (f.referenced ? 2 : 0) |
        (f.workingset ? 4 : 0) |
        (f.mapped ? 8 : 0) |
        (f.young ? 16 : 0) |
        (f.dirty ? 32 : 0) |
        (f.writeback ? 64 : 0) |
        (f.reclaim ? 128 : 0) |
        (f.swapcache ? 256 : 0) |
        (f.shmem ? 512 : 0),
    );
    w.i(f.gen);
    w.u(f.refs);
    w.u(f.lastAccess);
  }
  w.u(s.memcgs.size);
  for (const m of s.memcgs.values()) writeMemcg(w, m, s.nodes.length);
  w.u(s.objcgs.size);
  for (const o of s.objcgs.values()) {
    w.u(o.id);
    w.u(o.memcg);
    w.u(o.nrAnon);
    w.u(o.nrFile);
    w.bool(o.dead);
  }
  w.u(s.pageCache.size);
  for (const [k, id] of s.pageCache) {
    w.u(k);
    w.u(id);
  }
  w.u(s.shadows.size);
  for (const [k, sh] of s.shadows) {
    w.u(k);
    w.u(sh.eviction);
    w.u(sh.memcg);
    if (multi) w.u(sh.nid);
    w.bool(sh.workingset);
    w.u(sh.refs);
  }
  w.u(s.reparentLocked.size);
  for (const [c, p] of s.reparentLocked) {
    w.u(c);
    w.u(p);
  }
  for (const pgdat of s.nodes) {
    const lru = pgdat.memcgLru;
    w.u(lru.seq);
    for (const n of lru.nrMemcgs) w.u(n);
    w.u(lru.fifo.length);
    for (const bin of lru.fifo) {
      w.u(bin.length);
      for (const id of bin) w.u(id);
    }
  }
  const vm = s.vm;
  w.u(vm.swapPages);
  w.u(vm.swappiness);
  w.u(vm.minFreeKbytes);
  w.u(vm.watermarkScaleFactor);
  w.u(vm.writebackTicks);
  w.u(vm.ioTicks);
  for (const q of [s.swapEntries, s.dirtyQueue, s.writebackQueue]) {
    w.u(q.size);
    for (const [k, v] of q) {
      w.u(k);
      w.u(v);
    }
  }
  for (const pgdat of s.nodes) {
    w.bool(pgdat.kswapdAwake);
    w.u(pgdat.kswapdFailures);
  }
  const lab = s.lab;
  w.u(lab.reparentSplices);
  w.u(lab.reparentFoliosWalked);
  w.u(lab.reparentRetries);
  w.f64(lab.inversionSum);
  w.u(lab.inversionCount);
  w.u(lab.inversionEvictions);
  w.u(lab.shadowHits);
  for (const v of lab.memoryEvents) w.u(v);
  w.u(lab.throttleTicks);
  w.u(s.stockPages);
  // What only concurrent runs have (machine.concurrency), as tagged trailers: states without them
  // encode exactly as before they existed. 1: a pending walk (mid-step only), 2: RCU readers
  // (mid-step only), 3: reads of freed memcgs, 4: operations under the wrong lruvec lock, 5: memcg
  // deferred split queues, 7: the memcg getter, 8: its spins, 9: a running offline worker (mid-step only).
  const walk = s.walk;
  if (walk) {
    w.u(TRAILER_WALK);
    for (const v of [walk.memcg, walk.nid, walk.home, walk.seq, walk.delta.length]) w.u(v);
    for (const d of walk.delta) w.i(d);
  }
  if (s.rcuReaders) {
    w.u(TRAILER_RCU);
    w.u(s.rcuReaders);
  }
  if (s.freedReads.length) {
    w.u(TRAILER_FREED_READS);
    w.u(s.freedReads.length);
    for (const r of s.freedReads) for (const v of [r.seq, r.memcg, r.folio]) w.u(v);
  }
  if (s.wrongLocks.length) {
    w.u(TRAILER_WRONG_LOCKS);
    w.u(s.wrongLocks.length);
    for (const r of s.wrongLocks) for (const v of [r.seq, r.folio, r.locked, r.owner]) w.u(v);
  }
  if (s.splitQueues.size) {
    w.u(TRAILER_SPLIT_QUEUES);
    w.u(s.splitQueues.size);
    for (const [memcg, q] of s.splitQueues) {
      w.u(memcg);
      w.u(q.len);
      w.bool(q.reparented);
      w.u(q.folios.length);
      for (const f of q.folios) w.u(f);
    }
  }
  // 7: get_mem_cgroup_from_folio() as a task: its counters and the call in progress (mid-step only); 8: its spins
  const gets = s.memcgGets;
  if (gets.calls || gets.giveups || s.memcgGet) {
    w.u(TRAILER_MEMCG_GET);
    for (const v of [gets.calls, gets.giveups, gets.retries, gets.maxRetries]) w.u(v);
    const g = s.memcgGet;
    w.bool(g !== null);
    if (g) for (const v of [g.folio, g.memcg, g.retries, g.bound, g.held ? 1 : 0]) w.u(v);
  }
  if (s.spins.length) {
    w.u(TRAILER_SPINS);
    w.u(s.spins.length);
    for (const r of s.spins) for (const v of [r.seq, r.folio, r.memcg, r.retries, r.bound, r.now]) w.u(v);
  }
  if (s.offlining) {
    w.u(TRAILER_OFFLINING);
    w.u(s.offlining);
  }
  return w.bytes();
}

function writeMemcg(w: Writer, m: MemcgView, nodes: number): void {
  w.u(m.id);
  w.u(m.parent);
  w.str(m.name);
  w.str(m.path);
  w.u(m.state);
  w.u(m.cssRefs);
  w.u(m.idRef);
  w.u(m.swap);
  w.u(m.nrTasks);
  w.u(m.children.length);
  for (const c of m.children) w.u(c);
  w.u(m.nrDescendants);
  w.u(m.nrDyingDescendants);
  w.u(m.memory);
  w.i(m.max);
  w.i(m.high);
  w.u(m.min);
  w.u(m.low);
  for (let nid = 0; nid < nodes; nid++) {
    const pn = m.nodeinfo[nid];
    w.u(pn.objcg);
    w.u(pn.objcgList.length);
    for (const o of pn.objcgList) w.u(o);
  }
  for (let nid = 0; nid < nodes; nid++) writeLruvec(w, m, nid);
  // format 8: each node's share of the node event counters (one node: all of Memcg.stat's)
  if (nodes > 1) for (const pn of m.nodeinfo) for (const v of pn.lruvecStat) w.u(v);
  w.u(m.stat.length);
  for (const v of m.stat) w.i(v);
  w.u(m.createdTick);
  w.i(m.offlineTick);
  for (const v of m.events) w.u(v);
  for (const v of m.eventsLocal) w.u(v);
  w.u(m.stock);
  w.u(m.nrPagesOverHigh);
  w.bool(m.oomVictim);
}

/** memcg->nodeinfo[nid]: its lruvec and reclaim iterator. */
function writeLruvec(w: Writer, m: MemcgView, nid: number): void {
  const lruvec = lruvecOf(m, nid);
  w.u(lruvec.nonresidentAge);
  w.u(lruvec.anonCost);
  w.u(lruvec.fileCost);
  w.u(lruvec.refaults[0]);
  w.u(lruvec.refaults[1]);
  w.u(m.nodeinfo[nid].iter.position);
  w.u(m.nodeinfo[nid].iter.generation);
  for (let l = 0; l < NR_LRU_LISTS; l++) {
    w.i(lruvec.size[l]);
    const list = lruvec.lists[l];
    w.u(list.count);
    for (let f = list.head; f; f = f.next) w.u(f.id);
  }
  writeLruGen(w, lruvec.lrugen);
}

function writeLruGen(w: Writer, g: LruGenView): void {
  w.u(g.maxSeq);
  for (const v of g.minSeq) w.u(v);
  for (const v of g.timestamps) w.u(v);
  for (const l of g.lists) {
    w.u(l.count);
    for (let f = l.head; f; f = f.next) w.u(f.id);
  }
  for (const arr of [g.nrPages, g.avgRefaulted, g.avgTotal, g.refaulted, g.evicted, g.protected]) for (const v of arr) w.i(v);
  w.u(g.memcgGen);
  w.u(g.memcgSeg);
}

export { deserializeState } from './deserialize.js';

/** A hash of the whole kernel state (sha256 of its canonical encoding, hex). */
export function stateHash(s: KernelView): string {
  return encodingHash(serializeState(s));
}

/** The state hash of an encoded state, without decoding it (a snapshot blob's integrity check). */
export function encodingHash(encoded: Uint8Array): string {
  return createHash('sha256').update(encoded).digest('hex');
}
