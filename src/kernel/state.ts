import { LRU_ACTIVE, LRU_FILE } from './constants.js';
import type { DeepReadonly } from './readonly.js';

export {
  createState,
  newLabCounters,
  newList,
  newLruGen,
  newLruvec,
  newMemcg,
  newMemcgLru,
  newMemcgPerNode,
  newPgData,
  newVmConfig,
} from './state_init.js';

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
  /** folio_nid(): the node it was allocated on, fixed for its life */
  nid: number;
  /** folio_is_file_lru(): on the file LRU; false for anon and for shmem (swap-backed) */
  file: boolean;
  /** shmem/tmpfs page cache (PG_swapbacked with a mapping): anon LRU, reclaimed by swap, counted as file and shmem in memory.stat */
  shmem: boolean;
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

/** struct lru_gen_mm_walk (mm/vmscan.c), as far as the batch goes. */
export interface Walk {
  /** walk->lruvec's memcg: the css ref mem_cgroup_iter took */
  memcg: number;
  nid: number;
  /** the memcg whose lruvec reset_batch_size() will write into (memcg, or its parent after walk_forward) */
  home: number;
  /** max_seq when the walk began (walk->seq) */
  seq: number;
  /** walk->nr_pages[gen][type], by lruGenIndex */
  delta: number[];
}

/** A get_mem_cgroup_from_folio() call in progress (machine.concurrency.memcgGetter; policy/memcg_getter.ts). */
export interface MemcgGet {
  folio: number;
  /** the memcg folio_memcg() last returned: the one css_tryget is tried on (and, once held, the ref) */
  memcg: number;
  /** failed css_trygets so far in this call */
  retries: number;
  /** the most it may fail: the depth of the memcg first read (one retry per ancestor that dies meanwhile; the root never does) */
  bound: number;
  /** css_tryget succeeded: the call holds a css ref on memcg until css_put */
  held: boolean;
}

/**
 * struct deferred_split (include/linux/mmzone.h) of a memcg. The lab's folios are order-0: a
 * queued folio stands for a partially unmapped THP that deferred_split_folio() queued.
 */
export interface SplitQueue {
  /** ds_queue->split_queue_len: kept by the events, not derived (the invariant compares it with the list) */
  len: number;
  /** ds_queue->split_queue: folio ids, head first (folio->_deferred_list) */
  folios: number[];
  /** reparent_deferred_split_queue() ran for this memcg (mem_cgroup_css_offline): nothing may join it since */
  reparented: boolean;
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
  /** pages allocated on this node: folios whose nid is this node (derived; not in the snapshot) */
  nrFolios: number;
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
  /** lruvec_stats of the node: the NODE_EVENT_STATS counters (stat.ts) of this node, local like Memcg.stat */
  lruvecStat: number[];
  /** pn->objcg (7.1, 01b9da291c49: one objcg per memcg per node): the active objcg of this node, 0 once reparented */
  objcg: number;
  /** pn->objcg_list: this node's objcgs re-pointed here from dead descendants */
  objcgList: number[];
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
  nid: number; // the node of the evicted folio (pack_shadow's pgdat)
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
  /** folio placement on more than one node: interleave (round-robin by folio id) rather than the job's home node */
  interleave: boolean;
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
  /**
   * The MGLRU page-table walk running as a task (machine.concurrency.agingWalk), or null: whose
   * lruvec it walks (and holds a css ref on), where its batch lands, the max_seq it ages from,
   * and walk->nr_pages: the size deltas batched by lruGenIndex. Null between workload steps, so
   * snapshots never hold one.
   */
  walk: Walk | null;
  /** tasks inside rcu_read_lock() (machine.concurrency): a memcg whose last ref went waits for them (css_free after a grace period) */
  rcuReaders: number;
  /** dereferences of a memcg that was already freed (a use after free the no-rcu bug makes possible): the invariant reports the first */
  freedReads: { seq: number; memcg: number; folio: number }[];
  /** LRU operations done under another lruvec's lock than the folio's (the no-recheck bug): the invariant reports the first */
  wrongLocks: { seq: number; folio: number; locked: number; owner: number }[];
  /** get_mem_cgroup_from_folio() in progress (machine.concurrency.memcgGetter), or null */
  memcgGet: MemcgGet | null;
  /** the getter's calls so far: done (css_tryget got a ref), given up, failed css_trygets in all, the most in one call */
  memcgGets: { calls: number; giveups: number; retries: number; maxRetries: number };
  /** calls whose css_tryget failed more often than their bound (the unbounded-retry bug): the invariant reports the first */
  spins: { seq: number; folio: number; memcg: number; retries: number; bound: number; now: number }[];
  /** the memcg whose offline (css_killed_work_fn) is running and holds kill_css()'s css ref, or 0 (machine.concurrency.offlineWorker; mid-step only) */
  offlining: number;
  /**
   * memcg->deferred_split_queue (machine.concurrency.thpSplitQueue), by memcg id, for memcgs whose
   * queue was ever used; empty in every other run. The kernel has one queue per memcg (the nid of
   * split_queue_lock(nid, memcg) picks a node's queue only when there is no memcg).
   */
  splitQueues: Map<number, SplitQueue>;
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
