import {
  ANON_AND_FILE,
  MAX_NR_GENS,
  MAX_NR_TIERS,
  MEMCG_NR_BINS,
  MEMCG_NR_GENS,
  MIN_NR_GENS,
  NR_LRU_LISTS,
  NR_NODES,
  ROOT_MEMCG,
} from './constants.js';
import { newMemoryEvents } from './memcg_events.js';
import { NODE_EVENT_STATS, newStats } from './stat.js';
import {
  type KernelState,
  type LabCounters,
  type ListHead,
  type LruGen,
  type Lruvec,
  MEMCG_ONLINE,
  type Memcg,
  type MemcgLru,
  type MemcgPerNode,
  type PgData,
  type VmConfig,
} from './state.js';

// The constructors of the kernel state (mem_cgroup_alloc, lru_gen_init_lruvec, …); state.ts holds
// the types and re-exports these.

export function newList(): ListHead {
  return { head: null, tail: null, count: 0 };
}

export function newLruvec(tick = 0): Lruvec {
  const lists: ListHead[] = [];
  for (let i = 0; i < NR_LRU_LISTS; i++) lists.push(newList());
  return {
    lists,
    size: new Array<number>(NR_LRU_LISTS).fill(0),
    nonresidentAge: 0,
    anonCost: 0,
    fileCost: 0,
    refaults: [0, 0],
    lrugen: newLruGen(tick),
  };
}

/** lru_gen_init_lruvec(): max_seq = MIN_NR_GENS + 1, min_seq = 0, so a new lruvec has MAX_NR_GENS gens. */
export function newLruGen(tick: number): LruGen {
  const lists: ListHead[] = [];
  for (let i = 0; i < MAX_NR_GENS * ANON_AND_FILE; i++) lists.push(newList());
  const tiers = () => new Array<number>(ANON_AND_FILE * MAX_NR_TIERS).fill(0);
  return {
    maxSeq: MIN_NR_GENS + 1,
    minSeq: new Array<number>(ANON_AND_FILE).fill(0),
    timestamps: new Array<number>(MAX_NR_GENS).fill(tick),
    lists,
    nrPages: new Array<number>(MAX_NR_GENS * ANON_AND_FILE).fill(0),
    avgRefaulted: tiers(),
    avgTotal: tiers(),
    refaulted: tiers(),
    evicted: tiers(),
    protected: tiers(),
    memcgGen: 0,
    memcgSeg: 0,
  };
}

export function newPgData(nid: number): PgData {
  return { nid, memcgLru: newMemcgLru(), kswapdAwake: false, kswapdFailures: 0, nrFolios: 0 };
}

export function newMemcgLru(): MemcgLru {
  const fifo: number[][] = [];
  for (let i = 0; i < MEMCG_NR_GENS * MEMCG_NR_BINS; i++) fifo.push([]);
  return { seq: 0, nrMemcgs: new Array<number>(MEMCG_NR_GENS).fill(0), fifo };
}

export function newLabCounters(): LabCounters {
  return {
    reparentSplices: 0,
    reparentFoliosWalked: 0,
    reparentRetries: 0,
    inversionSum: 0,
    inversionCount: 0,
    inversionEvictions: 0,
    shadowHits: 0,
    memoryEvents: newMemoryEvents(),
    throttleTicks: 0,
  };
}

/** alloc_mem_cgroup_per_node_info(): the node's lruvec, reclaim iterator and (once online) objcg. */
export function newMemcgPerNode(tick = 0): MemcgPerNode {
  return {
    lruvec: newLruvec(tick),
    iter: { position: 0, generation: 0 },
    lruvecStat: new Array<number>(NODE_EVENT_STATS.length).fill(0),
    objcg: 0,
    objcgList: [],
  };
}

/** mem_cgroup_alloc(): with one mem_cgroup_per_node (and its lruvec) per node. */
export function newMemcg(id: number, parent: number, name: string, path: string, tick: number, nrNodes: number): Memcg {
  const nodeinfo: MemcgPerNode[] = [];
  for (let nid = 0; nid < nrNodes; nid++) nodeinfo.push(newMemcgPerNode(tick));
  return {
    id,
    parent,
    name,
    path,
    state: MEMCG_ONLINE,
    cssRefs: 1,
    idRef: 1,
    swap: 0,
    nrTasks: 0,
    children: [],
    nrDescendants: 0,
    nrDyingDescendants: 0,
    memory: 0,
    max: -1,
    high: -1,
    min: 0,
    low: 0,
    nodeinfo,
    stat: newStats(),
    createdTick: tick,
    offlineTick: -1,
    events: newMemoryEvents(),
    eventsLocal: newMemoryEvents(),
    stock: 0,
    nrPagesOverHigh: 0,
    oomVictim: false,
  };
}

/** An empty machine with the root memcg online, on one node until the machine event says how many (see node.ts). */
export function createState(nrNodes = NR_NODES): KernelState {
  const memcgs = new Map<number, Memcg>();
  memcgs.set(ROOT_MEMCG, newMemcg(ROOT_MEMCG, 0, '', '/', 0, nrNodes));
  const nodes: PgData[] = [];
  for (let nid = 0; nid < nrNodes; nid++) nodes.push(newPgData(nid));
  return {
    seq: 0,
    tick: 0,
    memoryPages: 0,
    mglru: false,
    objcgCharging: false,
    interleave: false,
    memcgs,
    objcgs: new Map(),
    folios: new Map(),
    pageCache: new Map(),
    shadows: new Map(),
    nextFolio: 1,
    nextObjcg: 1,
    nextMemcg: ROOT_MEMCG + 1,
    cycle: 0,
    reclaims: 0,
    lruvecsScanned: 0,
    reparentLocked: new Map(),
    nodes,
    vm: newVmConfig(),
    walk: null,
    rcuReaders: 0,
    freedReads: [],
    wrongLocks: [],
    memcgGet: null,
    memcgGets: { calls: 0, giveups: 0, retries: 0, maxRetries: 0 },
    spins: [],
    offlining: 0,
    splitQueues: new Map(),
    swapEntries: new Map(),
    dirtyQueue: new Map(),
    writebackQueue: new Map(),
    lab: newLabCounters(),
    stockPages: 0,
  };
}

/** The kernel's defaults: no swap, vm_swappiness 60, min_free_kbytes 1024 until the machine event computes it, watermark_scale_factor 10. */
export function newVmConfig(): VmConfig {
  return { swapPages: 0, swappiness: 60, minFreeKbytes: 1024, watermarkScaleFactor: 10, writebackTicks: 30000, ioTicks: 10 };
}
