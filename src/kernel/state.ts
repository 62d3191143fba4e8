import {
  ANON_AND_FILE,
  LRU_ACTIVE,
  LRU_FILE,
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
import type { DeepReadonly } from './readonly.js';
import { newStats } from './stat.js';

export const MEMCG_ONLINE = 0;
export const MEMCG_DYING = 1;
export const MEMCG_FREED = 2;
export type MemcgState = typeof MEMCG_ONLINE | typeof MEMCG_DYING | typeof MEMCG_FREED;
export const MEMCG_STATE_NAMES = ['online', 'dying', 'freed'] as const;

/** An intrusive doubly linked list of folios (struct list_head). head = most recently added. */
export interface ListHead {
  head: Folio | null;
  tail: Folio | null;
  count: number;
}

export interface Folio {
  id: number;
  file: boolean;
  /** page-cache key (inode << 32 | index) for file folios, -1 for anon */
  key: number;
  /** memcg id (legacy) or objcg id (objcg charging): folio->memcg_data */
  owner: number;
  active: boolean; // PG_active
  referenced: boolean; // PG_referenced
  workingset: boolean; // PG_workingset
  mapped: boolean;
  young: boolean; // a PTE mapping it has the accessed bit (mapped folios only)
  dirty: boolean; // PG_dirty
  writeback: boolean; // PG_writeback
  reclaim: boolean; // PG_reclaim: reclaim wants it rotated to the inactive tail when writeback ends
  swapcache: boolean; // PG_swapcache: anon with a swap entry (keyed by the folio id in KernelState.swapEntries)
  /** MGLRU: the gen stored in folio->flags (-1 = not on an MGLRU list); may differ from `list` */
  gen: number;
  /** MGLRU: the LRU_REFS counter bits (accesses through fds beyond the first, saturating) */
  refs: number;
  /** which list of its lruvec it is linked on: classic lru (0..4) or MGLRU gen*2+type; -1 none */
  list: number;
  lastAccess: number; // tick of the last access (lab bookkeeping for eviction-order metrics)
  prev: Folio | null;
  next: Folio | null;
}

/** struct lru_gen_folio (include/linux/mmzone.h), one zone. */
export interface LruGen {
  maxSeq: number;
  minSeq: number[]; // [ANON_AND_FILE]
  timestamps: number[]; // [MAX_NR_GENS], ticks
  lists: ListHead[]; // folios[gen][type] at lruGenIndex(gen, type)
  nrPages: number[]; // nr_pages[gen][type] at lruGenIndex(gen, type), by flags gen
  // PID controller inputs (NR_HIST_GENS = 1 without CONFIG_LRU_GEN_STATS): [tierIndex(type, tier)]
  avgRefaulted: number[];
  avgTotal: number[];
  refaulted: number[];
  evicted: number[];
  protected: number[];
  /** memcg LRU placement: lrugen->gen and lrugen->seg */
  memcgGen: number;
  memcgSeg: number;
}

/** pgdat->memcg_lru: the per-node memcg LRU global reclaim walks (MGLRU). */
export interface MemcgLru {
  seq: number;
  nrMemcgs: number[]; // [MEMCG_NR_GENS]
  fifo: number[][]; // [gen * MEMCG_NR_BINS + bin]: memcg ids, head first
}

/** struct pglist_data (NODE_DATA(nid)): the per-node state the model keeps. */
export interface PgData {
  nid: number;
  /** pgdat->memcg_lru */
  memcgLru: MemcgLru;
  /** kswapd is running (woken by an allocation below the low watermark, not yet back to sleep) */
  kswapdAwake: boolean;
  /** pgdat->kswapd_failures: balance_pgdat runs that reclaimed nothing; at MAX_RECLAIM_RETRIES kswapd is not woken */
  kswapdFailures: number;
}

/** struct mem_cgroup_reclaim_iter (memcg->nodeinfo[nid]->iter): where partial walks rooted here resume. */
export interface ReclaimIter {
  /** the last memcg a partial walk visited (0 = none: the next walk starts at the root) */
  position: number;
  /** bumped each time a walker reaches the end of the tree */
  generation: number;
}

/** struct mem_cgroup_per_node (memcg->nodeinfo[nid]). */
export interface MemcgPerNode {
  lruvec: Lruvec;
  /** the reclaim iterator of walks rooted at this memcg on this node */
  iter: ReclaimIter;
}

export interface Lruvec {
  lists: ListHead[]; // [NR_LRU_LISTS]
  /** lru_zone_size per list, in pages (one zone); kept in step by lru_gen_update_size too */
  size: number[];
  nonresidentAge: number;
  /** lruvec->anon_cost / file_cost (lru_note_cost), halved when they exceed a quarter of the LRU */
  anonCost: number;
  fileCost: number;
  /** lruvec->refaults[anon, file]: WORKINGSET_ACTIVATE_* of the subtree at the last snapshot_refaults() */
  refaults: number[];
  lrugen: LruGen;
}

export interface Memcg {
  id: number;
  parent: number; // 0 for the root
  name: string;
  path: string;
  state: MemcgState;
  /** css references: one while the ID has refs (mem_cgroup_id_get), plus one per charged folio in legacy charging */
  cssRefs: number;
  /** memcg->id.ref: the online ref plus one per swap entry recorded with this ID */
  idRef: number;
  /** memcg->swap page_counter usage in pages: hierarchical */
  swap: number;
  nrTasks: number;
  children: number[]; // live (online or dying) children, creation order
  nrDescendants: number;
  nrDyingDescendants: number;
  /** page_counter usage in pages: hierarchical (this memcg and its descendants) */
  memory: number;
  max: number; // pages, -1 = max
  high: number; // pages, -1 = max
  min: number; // memory.min, pages (0 = none)
  low: number; // memory.low, pages (0 = none)
  /** memcg->objcg: the active objcg, 0 once offline */
  objcg: number;
  /** memcg->objcg_list: objcgs re-pointed here from dead descendants */
  objcgList: number[];
  /** memcg->nodeinfo[nid]: one lruvec per node; reach it through lruvecOf() (mem_cgroup_lruvec) */
  nodeinfo: MemcgPerNode[];
  stat: number[]; // local counters (Stat)
  createdTick: number;
  offlineTick: number;
  /** memory.events: memcg->memory_events[] (hierarchical, raised on this memcg or a descendant), by MEMCG_LOW.. */
  events: number[];
  /** memory.events.local: memcg->memory_events_local[] */
  eventsLocal: number[];
  /**
   * The per-cpu charge stock (memcg_stock_pcp) while it caches this memcg: pages charged to the
   * page counters (memory above) that no folio uses yet; ≤ MEMCG_CHARGE_BATCH. One CPU is modelled.
   */
  stock: number;
  /** current->memcg_nr_pages_over_high of the memcg's task: pages charged while over memory.high */
  nrPagesOverHigh: number;
  /** the memcg's task was OOM-killed (mark_oom_victim, tsk_is_oom_victim); its instance ends */
  oomVictim: boolean;
}

export interface Objcg {
  id: number;
  memcg: number;
  /** charged pages (anon / file) through this objcg */
  nrAnon: number;
  nrFile: number;
  dead: boolean; // percpu_ref_kill done
}

export interface Shadow {
  eviction: number; // nonresident_age of the eviction lruvec at eviction time
  memcg: number; // memcg id the shadow names
  workingset: boolean;
  refs: number; // MGLRU: refs - 1 at eviction (the token's low bits)
}

/** The sysctls and devices reclaim reads (vm.* and swapon), set by sysctl events after the machine event. */
export interface VmConfig {
  /** swap device size in pages (0: no swap, anon is not reclaimable) */
  swapPages: number;
  /** vm.swappiness (0..200) */
  swappiness: number;
  /** vm.min_free_kbytes (calculate_min_free_kbytes() unless written) */
  minFreeKbytes: number;
  /** vm.watermark_scale_factor, in 1/10000 of the zone */
  watermarkScaleFactor: number;
  /** ticks from a write() to the flusher starting its writeback (dirty_expire) */
  writebackTicks: number;
  /** ticks one write I/O (file writeback or swap-out) takes to complete */
  ioTicks: number;
}

export interface KernelState {
  seq: number; // seq of the last applied event (0 = none)
  tick: number;
  memoryPages: number; // machine memory; 0 until the machine event
  mglru: boolean;
  objcgCharging: boolean;
  memcgs: Map<number, Memcg>;
  objcgs: Map<number, Objcg>;
  folios: Map<number, Folio>;
  pageCache: Map<number, number>; // key → folio id
  shadows: Map<number, Shadow>; // key → shadow entry
  nextFolio: number;
  nextObjcg: number;
  nextMemcg: number;
  cycle: number; // last cycle ended
  /** global reclaim bookkeeping (vmstat-like, machine-wide) */
  reclaims: number;
  lruvecsScanned: number;
  /** reparent_locks held: child memcg id → parent id */
  reparentLocked: Map<number, number>;
  /** NODE_DATA(nid) for every node, nid = index */
  nodes: PgData[];
  vm: VmConfig;
  /** swap entries: keyed by the id of the anon folio they were allocated for (its page-table slot), value = the memcg ID recorded (swap_cgroup_record) */
  swapEntries: Map<number, number>;
  /** dirty file folios in the order they were dirtied (the inode's b_dirty list): folio id → tick dirtied */
  dirtyQueue: Map<number, number>;
  /** folios under writeback in the order it started: folio id → tick started */
  writebackQueue: Map<number, number>;
  /** lab accumulators that only the log decides (metrics read them) */
  lab: LabCounters;
  /** pages held by charge stocks machine-wide (Σ memcg.stock): charged, but no page is allocated for them */
  stockPages: number;
}

export interface LabCounters {
  reparentSplices: number;
  reparentFoliosWalked: number;
  reparentRetries: number;
  /** sum over evictions of the share of resident same-type folios accessed before the victim */
  inversionSum: number;
  inversionCount: number; // evictions measured
  inversionEvictions: number; // evictions seen (the sampling clock on big lruvecs)
  /** page-cache misses that found a shadow entry: evicted pages that came back, whatever the kernel counted */
  shadowHits: number;
  /** memcg_memory_event() calls by event (MEMCG_LOW..), each counted once where it was raised: machine-wide totals */
  memoryEvents: number[];
  /** ticks tasks slept in mem_cgroup_handle_over_high (memory.high throttling) */
  throttleTicks: number;
}

/** Read-only views of the state, for deciders, views and helpers that only read. */
export type KernelView = DeepReadonly<KernelState>;
export type MemcgView = DeepReadonly<Memcg>;
export type LruvecView = DeepReadonly<Lruvec>;
export type LruGenView = DeepReadonly<LruGen>;
export type ListView = DeepReadonly<ListHead>;
export type FolioView = DeepReadonly<Folio>;
export type ObjcgView = DeepReadonly<Objcg>;
export type PgDataView = DeepReadonly<PgData>;
export type { DeepReadonly };

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
  return { nid, memcgLru: newMemcgLru(), kswapdAwake: false, kswapdFailures: 0 };
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

/** mem_cgroup_alloc(): with one mem_cgroup_per_node (and its lruvec) per node. */
export function newMemcg(id: number, parent: number, name: string, path: string, tick: number, nrNodes: number): Memcg {
  const nodeinfo: MemcgPerNode[] = [];
  for (let nid = 0; nid < nrNodes; nid++) nodeinfo.push({ lruvec: newLruvec(tick), iter: { position: 0, generation: 0 } });
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
    objcg: 0,
    objcgList: [],
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

/** An empty machine with the root memcg online. Only one node runs today (see node.ts). */
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

export function pageCacheKey(inode: number, index: number): number {
  return inode * 0x100000000 + index;
}

/** folio_memcg(): through the objcg when LRU folios are objcg-charged. */
export function folioMemcg(s: KernelState, f: Folio): Memcg;
export function folioMemcg(s: KernelView, f: FolioView): MemcgView;
export function folioMemcg(s: KernelView, f: FolioView): MemcgView {
  return s.memcgs.get(folioMemcgId(s, f)!)!;
}

/** The id folio_memcg() resolves to (undefined when the folio's objcg is missing: a broken state). */
export function folioMemcgId(s: KernelView, f: FolioView): number | undefined {
  return s.objcgCharging ? s.objcgs.get(f.owner)?.memcg : f.owner;
}

/** The classic list a folio counts on: folio_lru_list(), or for MGLRU the active/inactive list of its gen. */
export function folioLruList(f: FolioView): number {
  return (f.file ? LRU_FILE : 0) + (f.active ? LRU_ACTIVE : 0);
}

export function getMemcg(s: KernelState, id: number): Memcg {
  const m = s.memcgs.get(id);
  if (!m) throw new Error(`no live memcg ${id}`);
  return m;
}

export function getFolio(s: KernelState, id: number): Folio {
  const f = s.folios.get(id);
  if (!f) throw new Error(`no folio ${id}`);
  return f;
}
