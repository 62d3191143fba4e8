import { LRU_ACTIVE, LRU_FILE, NR_LRU_LISTS, ROOT_MEMCG } from './constants.js';
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
  lastAccess: number; // tick of the last access (lab bookkeeping for eviction-order metrics)
  prev: Folio | null;
  next: Folio | null;
}

export interface Lruvec {
  lists: ListHead[]; // [NR_LRU_LISTS]
  /** lru_zone_size per list, in pages (one zone) */
  size: number[];
  nonresidentAge: number;
}

export interface Memcg {
  id: number;
  parent: number; // 0 for the root
  name: string;
  path: string;
  state: MemcgState;
  /** css references: the online ID ref, plus one per charged folio in legacy charging */
  cssRefs: number;
  nrTasks: number;
  children: number[]; // live (online or dying) children, creation order
  nrDescendants: number;
  nrDyingDescendants: number;
  /** page_counter usage in pages: hierarchical (this memcg and its descendants) */
  memory: number;
  max: number; // pages, -1 = max
  high: number; // pages, -1 = max
  /** memcg->objcg: the active objcg, 0 once offline */
  objcg: number;
  /** memcg->objcg_list: objcgs re-pointed here from dead descendants */
  objcgList: number[];
  lruvec: Lruvec;
  stat: number[]; // local counters (Stat)
  createdTick: number;
  offlineTick: number;
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
}

export interface KernelState {
  seq: number; // seq of the last applied event (0 = none)
  tick: number;
  memoryPages: number; // machine memory; 0 until the machine event
  mglru: boolean;
  objcgCharging: boolean;
  memcgs: Map<number, Memcg>;
  /** freed memcgs: just enough to name them (tombstones) */
  freed: Map<number, { id: number; parent: number; path: string; createdTick: number; offlineTick: number }>;
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
}

export function newList(): ListHead {
  return { head: null, tail: null, count: 0 };
}

export function newLruvec(): Lruvec {
  const lists: ListHead[] = [];
  for (let i = 0; i < NR_LRU_LISTS; i++) lists.push(newList());
  return { lists, size: new Array<number>(NR_LRU_LISTS).fill(0), nonresidentAge: 0 };
}

export function newMemcg(id: number, parent: number, name: string, path: string, tick: number): Memcg {
  return {
    id, parent, name, path, state: MEMCG_ONLINE, cssRefs: 1, nrTasks: 0, children: [],
    nrDescendants: 0, nrDyingDescendants: 0, memory: 0, max: -1, high: -1, objcg: 0, objcgList: [],
    lruvec: newLruvec(), stat: newStats(), createdTick: tick, offlineTick: -1,
  };
}

/** An empty machine with the root memcg online. */
export function createState(): KernelState {
  const memcgs = new Map<number, Memcg>();
  memcgs.set(ROOT_MEMCG, newMemcg(ROOT_MEMCG, 0, '', '/', 0));
  return {
    seq: 0, tick: 0, memoryPages: 0, mglru: false, objcgCharging: false, memcgs, freed: new Map(),
    objcgs: new Map(), folios: new Map(), pageCache: new Map(), shadows: new Map(),
    nextFolio: 1, nextObjcg: 1, nextMemcg: ROOT_MEMCG + 1, cycle: 0, reclaims: 0, lruvecsScanned: 0, reparentLocked: new Map(),
  };
}

export function pageCacheKey(inode: number, index: number): number {
  return inode * 0x100000000 + index;
}

/** folio_memcg(): through the objcg when LRU folios are objcg-charged. */
export function folioMemcg(s: KernelState, f: Folio): Memcg {
  const id = s.objcgCharging ? s.objcgs.get(f.owner)!.memcg : f.owner;
  return s.memcgs.get(id)!;
}

/** folio_lru_list() for the classic LRU. */
export function folioLruList(f: Folio): number {
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

export function isOnline(m: Memcg): boolean {
  return m.state === MEMCG_ONLINE;
}
