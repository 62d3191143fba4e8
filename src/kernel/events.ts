/**
 * The event catalogue. One variant per mutation of kernel state; plain data.
 * Codes are stored in the log and never reused or renumbered; new events get new codes.
 * Each event carries what `evolve` needs and nothing it can derive.
 */
export const EVENT_SCHEMA_VERSION = 1;

export const EventType = {
  machine: 1, // a = memory pages, b = machine flags (MACHINE_*)
  memcg_create: 2, // memcg, a = parent, data = name
  memcg_offline: 3, // memcg (rmdir: css killed, online ID ref dropped)
  memcg_free: 4, // memcg (css refcount reached 0, css_free ran)
  objcg_reparent: 5, // memcg = from, a = to (every objcg on from's list re-pointed)
  objcg_release: 6, // a = objcg (killed and uncharged: freed)
  charge: 7, // folio, memcg = charging memcg, a = FOLIO_* flags, b = page-cache key (file)
  uncharge: 8, // folio (freed: anon at exit, truncation)
  access: 9, // folio (folio_mark_accessed / young PTE)
  activate: 10, // folio (inactive → active head)
  deactivate: 11, // folio (active → inactive head, PG_workingset set)
  // 12 is retired (rotate): only mapped file folios with young PTEs are kept on the inactive list, and none are modelled
  evict: 13, // folio, memcg = reclaim target (whose lruvec the shadow names)
  refault: 14, // folio, a = REFAULT_* flags, memcg = memcg named by the shadow
  scan: 15, // memcg, a = lru list, b = nr isolated
  reclaim_begin: 16, // memcg = target, a = nr_to_reclaim
  reclaim_end: 17, // memcg = target, a = lruvecs visited, b = nr reclaimed
  splice: 18, // memcg = from, a = to, b = lru list (classic) or gen<<8|type (MGLRU)
  reparent_locks: 19, // memcg = child, a = parent
  reparent_unlocks: 20, // memcg = child, a = parent, b = 1 when dropped to retry (recheck failed)
  job_start: 21, // memcg, a = cycle
  job_exit: 22, // memcg, a = cycle
  cycle: 23, // a = cycle that just ended
  limit_set: 24, // memcg, a = LIMIT_*, b = pages (-1 = max)
  // MGLRU
  age: 25, // memcg, a = evictable types (bit 0 anon, bit 1 file): inc_max_seq, with inc_min_seq first for a type at MAX_NR_GENS
  inc_min_seq: 26, // memcg, a = type (try_to_inc_min_seq: drop an empty oldest gen)
  gen_update: 27, // folio, a = gen (page-table walk: folio_update_gen)
  sort: 28, // folio, a = SORT_* (sort_folio: lazy move or protection)
  memcg_lru_rotate: 29, // memcg, a = MEMCG_LRU_* op, b = bin
  shadow_reclaim: 30, // a = how many of the oldest shadow entries the shadow shrinker drops
} as const;
export type EventTypeName = keyof typeof EventType;
export type EventCode = (typeof EventType)[EventTypeName];

export const EVENT_NAMES: Record<number, EventTypeName> = Object.fromEntries(
  Object.entries(EventType).map(([k, v]) => [v, k as EventTypeName]),
);

export const MACHINE_MGLRU = 1;
export const MACHINE_OBJCG = 2; // LRU folios charged through objcgs (the fix)

export const FOLIO_FILE = 1;
export const FOLIO_ACTIVE = 2;
export const FOLIO_WORKINGSET = 4;
export const FOLIO_MAPPED = 8;
export const FOLIO_REFERENCED = 16;

export const REFAULT_RECENT = 1;
export const REFAULT_WORKINGSET = 2;

export const REFAULT_ACTIVATE = 4; // MGLRU: counted as activation only inside a fault

export const SORT_PROMOTED = 1;
export const SORT_PROTECTED = 2;

/** splice.b for MGLRU: child gen, type, parent gen and how the folios land there. */
export const SPLICE_MGLRU = 256;
export const SPLICE_SAME_GEN = 0; // list_splice_init onto the parent's same index; flags untouched
export const SPLICE_REWRITE_TAIL = 1; // to the tail of a parent gen, each folio's gen rewritten
export const SPLICE_REWRITE_HEAD = 2; // to the head of a parent gen, each folio's gen rewritten

export function encodeSplice(childGen: number, type: number, parentGen: number, mode: number): number {
  return SPLICE_MGLRU | childGen | (type << 2) | (parentGen << 3) | (mode << 5);
}

export function decodeSplice(b: number): { childGen: number; type: number; parentGen: number; mode: number } {
  return { childGen: b & 3, type: (b >> 2) & 1, parentGen: (b >> 3) & 3, mode: (b >> 5) & 3 };
}

export const LIMIT_MAX = 1;
export const LIMIT_HIGH = 2;

/**
 * One event as stored: every field is an integer column; `data` only for rare wide events.
 * Unused columns are 0. `seq` and `tick` are stamped by whoever appends the event (the runner).
 */
export interface Event {
  seq: number;
  tick: number;
  type: EventCode;
  memcg: number;
  folio: number;
  a: number;
  b: number;
  data: string | null;
}

export function ev(type: EventCode, memcg = 0, folio = 0, a = 0, b = 0, data: string | null = null): Event {
  return { seq: 0, tick: 0, type, memcg, folio, a, b, data };
}

/** Typed constructors: deciders build events through these so each column's meaning is named once. */
export const E = {
  machine: (memoryPages: number, flags: number) => ev(EventType.machine, 0, 0, memoryPages, flags),
  memcgCreate: (memcg: number, parent: number, name: string, bin = 0) => ev(EventType.memcg_create, memcg, 0, parent, bin, name),
  memcgOffline: (memcg: number, bin = 0) => ev(EventType.memcg_offline, memcg, 0, 0, bin),
  memcgFree: (memcg: number) => ev(EventType.memcg_free, memcg),
  objcgReparent: (from: number, to: number) => ev(EventType.objcg_reparent, from, 0, to),
  objcgRelease: (objcg: number) => ev(EventType.objcg_release, 0, 0, objcg),
  charge: (folio: number, memcg: number, flags: number, key: number) => ev(EventType.charge, memcg, folio, flags, key),
  uncharge: (folio: number) => ev(EventType.uncharge, 0, folio),
  access: (folio: number) => ev(EventType.access, 0, folio),
  activate: (folio: number) => ev(EventType.activate, 0, folio),
  deactivate: (folio: number) => ev(EventType.deactivate, 0, folio),
  evict: (folio: number, target: number) => ev(EventType.evict, target, folio),
  refault: (folio: number, shadowMemcg: number, flags: number, refs = 0) => ev(EventType.refault, shadowMemcg, folio, flags, refs),
  scan: (memcg: number, lru: number, nr: number) => ev(EventType.scan, memcg, 0, lru, nr),
  reclaimBegin: (target: number, nrToReclaim: number) => ev(EventType.reclaim_begin, target, 0, nrToReclaim),
  reclaimEnd: (target: number, visited: number, reclaimed: number) => ev(EventType.reclaim_end, target, 0, visited, reclaimed),
  splice: (from: number, to: number, list: number) => ev(EventType.splice, from, 0, to, list),
  reparentLocks: (child: number, parent: number) => ev(EventType.reparent_locks, child, 0, parent),
  reparentUnlocks: (child: number, parent: number, retry = false) => ev(EventType.reparent_unlocks, child, 0, parent, retry ? 1 : 0),
  jobStart: (memcg: number, cycle: number) => ev(EventType.job_start, memcg, 0, cycle),
  jobExit: (memcg: number, cycle: number) => ev(EventType.job_exit, memcg, 0, cycle),
  cycle: (cycle: number) => ev(EventType.cycle, 0, 0, cycle),
  limitSet: (memcg: number, which: number, pages: number) => ev(EventType.limit_set, memcg, 0, which, pages),
  age: (memcg: number, evictableTypes: number) => ev(EventType.age, memcg, 0, evictableTypes),
  incMinSeq: (memcg: number, type: number) => ev(EventType.inc_min_seq, memcg, 0, type),
  genUpdate: (folio: number, gen: number) => ev(EventType.gen_update, 0, folio, gen),
  sort: (folio: number, reason: number) => ev(EventType.sort, 0, folio, reason),
  memcgLruRotate: (memcg: number, op: number, bin: number) => ev(EventType.memcg_lru_rotate, memcg, 0, op, bin),
  shadowReclaim: (count: number) => ev(EventType.shadow_reclaim, 0, 0, count),
};
