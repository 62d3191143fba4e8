import { Reader } from './codec.js';
import { NR_LRU_LISTS } from './constants.js';
import { listAddTail } from './list.js';
import { setWalkBatched } from './lru_gen.js';
import { newMemoryEvents } from './memcg_events.js';
import {
  OLDEST_FORMAT_VERSION,
  STATE_FORMAT_VERSION,
  TRAILER_FREED_READS,
  TRAILER_MEMCG_GET,
  TRAILER_OFFLINING,
  TRAILER_RCU,
  TRAILER_SPINS,
  TRAILER_SPLIT_QUEUES,
  TRAILER_WALK,
  TRAILER_WRONG_LOCKS,
} from './serialize.js';
import { NODE_EVENT_STATS } from './stat.js';
import {
  type Folio,
  type KernelState,
  type LruGen,
  type Memcg,
  type MemcgPerNode,
  type MemcgState,
  newLabCounters,
  newMemcgPerNode,
  newPgData,
  newVmConfig,
} from './state.js';

// Decoding a state written by serializeState (serialize.ts): the same order, field by field.

function readLruGen(r: Reader, g: LruGen, s: KernelState): void {
  g.maxSeq = r.u();
  for (let i = 0; i < g.minSeq.length; i++) g.minSeq[i] = r.u();
  for (let i = 0; i < g.timestamps.length; i++) g.timestamps[i] = r.u();
  g.lists.forEach((l, li) => {
    for (let n = r.u(); n > 0; n--) {
      const f = s.folios.get(r.u())!;
      f.list = li;
      listAddTail(l, f);
    }
  });
  for (const arr of [g.nrPages, g.avgRefaulted, g.avgTotal, g.refaulted, g.evicted, g.protected]) {
    for (let i = 0; i < arr.length; i++) arr[i] = r.i();
  }
  g.memcgGen = r.u();
  g.memcgSeg = r.u();
}

export function deserializeState(buf: Uint8Array): KernelState {
  const r = new Reader(buf);
  const version = r.u();
  if (version < OLDEST_FORMAT_VERSION || version > STATE_FORMAT_VERSION) {
    throw new Error(`snapshot format ${version} is not supported (this build reads ${OLDEST_FORMAT_VERSION} to ${STATE_FORMAT_VERSION})`);
  }
  // format 8 (more than one node) names the nodes and the placement first; format 7 is one node
  const nodes = version >= 8 ? r.u() : 1;
  const interleave = version >= 8 ? r.bool() : false;
  const s: KernelState = {
    interleave,
    seq: r.u(),
    tick: r.u(),
    memoryPages: r.u(),
    mglru: r.bool(),
    objcgCharging: r.bool(),
    nextFolio: r.u(),
    nextObjcg: r.u(),
    nextMemcg: r.u(),
    cycle: r.u(),
    reclaims: r.u(),
    lruvecsScanned: r.u(),
    memcgs: new Map(),
    objcgs: new Map(),
    folios: new Map(),
    pageCache: new Map(),
    shadows: new Map(),
    reparentLocked: new Map(),
    nodes: Array.from({ length: nodes }, (_, nid) => newPgData(nid)),
    vm: newVmConfig(),
    walk: null,
    rcuReaders: 0,
    freedReads: [],
    wrongLocks: [],
    splitQueues: new Map(),
    offlining: 0,
    memcgGet: null,
    memcgGets: { calls: 0, giveups: 0, retries: 0, maxRetries: 0 },
    spins: [],
    swapEntries: new Map(),
    dirtyQueue: new Map(),
    writebackQueue: new Map(),
    lab: newLabCounters(),
    stockPages: 0,
  };
  for (let n = r.u(); n > 0; n--) {
    const id = r.u();
    const nid = nodes > 1 ? r.u() : 0;
    const file = r.bool();
    const key = r.i();
    const owner = r.u();
    const fl = r.u();
    const f: Folio = {
      id,
      nid,
      file,
      key,
      owner,
      active: (fl & 1) !== 0,
      referenced: (fl & 2) !== 0,
      workingset: (fl & 4) !== 0,
      mapped: (fl & 8) !== 0,
      young: (fl & 16) !== 0,
      dirty: (fl & 32) !== 0,
      writeback: (fl & 64) !== 0,
      reclaim: (fl & 128) !== 0,
      swapcache: (fl & 256) !== 0,
      shmem: (fl & 512) !== 0,
      gen: r.i(),
      refs: r.u(),
      list: -1,
      lastAccess: r.u(),
      prev: null,
      next: null,
    };
    s.folios.set(id, f);
    if (!s.nodes[nid]) throw new Error(`snapshot folio ${id} is on node ${nid}, which does not exist`);
    s.nodes[nid].nrFolios++;
  }
  for (let n = r.u(); n > 0; n--) {
    const m = readMemcg(r, s);
    s.memcgs.set(m.id, m);
  }
  for (let n = r.u(); n > 0; n--) {
    const o = { id: r.u(), memcg: r.u(), nrAnon: r.u(), nrFile: r.u(), dead: r.bool() };
    s.objcgs.set(o.id, o);
  }
  for (let n = r.u(); n > 0; n--) s.pageCache.set(r.u(), r.u());
  for (let n = r.u(); n > 0; n--) {
    const k = r.u();
    const eviction = r.u();
    const memcg = r.u();
    s.shadows.set(k, { eviction, memcg, nid: nodes > 1 ? r.u() : 0, workingset: r.bool(), refs: r.u() });
  }
  for (let n = r.u(); n > 0; n--) s.reparentLocked.set(r.u(), r.u());
  for (const pgdat of s.nodes) {
    const lru = pgdat.memcgLru;
    lru.seq = r.u();
    for (let i = 0; i < lru.nrMemcgs.length; i++) lru.nrMemcgs[i] = r.u();
    lru.fifo = [];
    for (let n = r.u(); n > 0; n--) {
      const bin: number[] = [];
      for (let k = r.u(); k > 0; k--) bin.push(r.u());
      lru.fifo.push(bin);
    }
  }
  const vm = s.vm;
  vm.swapPages = r.u();
  vm.swappiness = r.u();
  vm.minFreeKbytes = r.u();
  vm.watermarkScaleFactor = r.u();
  vm.writebackTicks = r.u();
  vm.ioTicks = r.u();
  for (const q of [s.swapEntries, s.dirtyQueue, s.writebackQueue]) for (let n = r.u(); n > 0; n--) q.set(r.u(), r.u());
  for (const pgdat of s.nodes) {
    pgdat.kswapdAwake = r.bool();
    pgdat.kswapdFailures = r.u();
  }
  s.lab = {
    ...s.lab,
    reparentSplices: r.u(),
    reparentFoliosWalked: r.u(),
    reparentRetries: r.u(),
    inversionSum: r.f64(),
    inversionCount: r.u(),
    inversionEvictions: r.u(),
    shadowHits: r.u(),
  };
  for (let i = 0; i < s.lab.memoryEvents.length; i++) s.lab.memoryEvents[i] = r.u();
  s.lab.throttleTicks = r.u();
  s.stockPages = r.u();
  let lastTag = 0;
  while (!r.done()) {
    const tag = r.u();
    if (tag <= lastTag) throw new Error('snapshot has trailing bytes');
    lastTag = tag;
    if (tag === TRAILER_WALK) {
      const [memcg, nid, home, seq, n] = [r.u(), r.u(), r.u(), r.u(), r.u()];
      s.walk = { memcg, nid, home, seq, delta: Array.from({ length: n }, () => r.i()) };
      const homeMemcg = s.memcgs.get(home);
      if (!homeMemcg?.nodeinfo[nid]) throw new Error(`snapshot: the walk batch lands in memcg ${home} node ${nid}, which is not there`);
      setWalkBatched(homeMemcg.nodeinfo[nid].lruvec.lrugen, true);
    } else if (tag === TRAILER_RCU) s.rcuReaders = r.u();
    else if (tag === TRAILER_FREED_READS) {
      for (let n = r.u(); n > 0; n--) s.freedReads.push({ seq: r.u(), memcg: r.u(), folio: r.u() });
    } else if (tag === TRAILER_WRONG_LOCKS) {
      for (let n = r.u(); n > 0; n--) s.wrongLocks.push({ seq: r.u(), folio: r.u(), locked: r.u(), owner: r.u() });
    } else if (tag === TRAILER_SPLIT_QUEUES) {
      for (let n = r.u(); n > 0; n--) {
        const memcg = r.u();
        const len = r.u();
        const reparented = r.bool();
        s.splitQueues.set(memcg, { len, reparented, folios: Array.from({ length: r.u() }, () => r.u()) });
      }
    } else if (tag === TRAILER_MEMCG_GET) {
      s.memcgGets = { calls: r.u(), giveups: r.u(), retries: r.u(), maxRetries: r.u() };
      if (r.bool()) s.memcgGet = { folio: r.u(), memcg: r.u(), retries: r.u(), bound: r.u(), held: r.u() === 1 };
    } else if (tag === TRAILER_SPINS) {
      for (let n = r.u(); n > 0; n--) s.spins.push({ seq: r.u(), folio: r.u(), memcg: r.u(), retries: r.u(), bound: r.u(), now: r.u() });
    } else if (tag === TRAILER_OFFLINING) s.offlining = r.u();
    else throw new Error('snapshot has trailing bytes');
  }
  return s;
}

function readMemcg(r: Reader, s: KernelState): Memcg {
  const id = r.u();
  const parent = r.u();
  const name = r.str();
  const path = r.str();
  const state = r.u() as MemcgState;
  const cssRefs = r.u();
  const idRef = r.u();
  const swap = r.u();
  const nrTasks = r.u();
  const children: number[] = [];
  for (let n = r.u(); n > 0; n--) children.push(r.u());
  const nrDescendants = r.u();
  const nrDyingDescendants = r.u();
  const memory = r.u();
  const max = r.i();
  const high = r.i();
  const min = r.u();
  const low = r.u();
  const nodeinfo: MemcgPerNode[] = [];
  for (let nid = 0; nid < s.nodes.length; nid++) {
    const pn = newMemcgPerNode();
    pn.objcg = r.u();
    for (let n = r.u(); n > 0; n--) pn.objcgList.push(r.u());
    nodeinfo.push(pn);
  }
  for (const pn of nodeinfo) readLruvec(r, pn, s);
  if (nodeinfo.length > 1) for (const pn of nodeinfo) for (let k = 0; k < pn.lruvecStat.length; k++) pn.lruvecStat[k] = r.u();
  const stat: number[] = [];
  for (let n = r.u(); n > 0; n--) stat.push(r.i());
  // one node (format 7): the node's share is the whole of each counter
  if (nodeinfo.length === 1) {
    NODE_EVENT_STATS.forEach((item, k) => {
      nodeinfo[0].lruvecStat[k] = stat[item];
    });
  }
  const createdTick = r.u();
  const offlineTick = r.i();
  const events = newMemoryEvents();
  const eventsLocal = newMemoryEvents();
  for (let i = 0; i < events.length; i++) events[i] = r.u();
  for (let i = 0; i < eventsLocal.length; i++) eventsLocal[i] = r.u();
  const stock = r.u();
  const nrPagesOverHigh = r.u();
  const oomVictim = r.bool();
  return {
    id,
    parent,
    name,
    path,
    state,
    cssRefs,
    idRef,
    swap,
    nrTasks,
    children,
    nrDescendants,
    nrDyingDescendants,
    memory,
    max,
    high,
    min,
    low,
    nodeinfo,
    stat,
    createdTick,
    offlineTick,
    events,
    eventsLocal,
    stock,
    nrPagesOverHigh,
    oomVictim,
  };
}

/** memcg->nodeinfo[nid]'s lruvec and reclaim iterator, as writeLruvec wrote them. */
function readLruvec(r: Reader, pn: MemcgPerNode, s: KernelState): void {
  const lruvec = pn.lruvec;
  lruvec.nonresidentAge = r.u();
  lruvec.anonCost = r.u();
  lruvec.fileCost = r.u();
  lruvec.refaults = [r.u(), r.u()];
  pn.iter = { position: r.u(), generation: r.u() };
  for (let l = 0; l < NR_LRU_LISTS; l++) {
    lruvec.size[l] = r.i();
    for (let n = r.u(); n > 0; n--) {
      const f = s.folios.get(r.u())!;
      f.list = l;
      listAddTail(lruvec.lists[l], f);
    }
  }
  readLruGen(r, lruvec.lrugen, s);
}
