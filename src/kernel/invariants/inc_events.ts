import { type EventCode, EventType, type EventTypeName } from '../events.js';

/**
 * What each event type touches, for the incremental checker (incremental.ts). Read off the
 * evolve handlers (src/kernel/evolve/*): the columns say which folio, memcg and node.
 */
export const Touch = {
  /** nothing the invariants read (marks, counters no invariant covers, the lab's bookkeeping) */
  none: 0,
  /** the folio (column folio), which stays: its flags, list, gen; its lruvec */
  folio: 1,
  /** refault: the folio, and its memcg's workingset counters (node-stat) */
  refault: 2,
  /** swap_out: the folio, the swap entry, the holder (memcg column) and its ancestors' swap counters */
  swapOut: 3,
  /** swap_free: the entry's holder and its ancestors, the folio if it is still there */
  swapFree: 4,
  /** memcg_stock: memcg's stock, its and its ancestors' page counters */
  stock: 5,
  /** memcg_create: the new memcg, its objcgs and lruvecs; the tree, the memcg LRU */
  create: 6,
  /** memcg_offline: its state, id ref and css ref; the tree, the memcg LRU */
  offline: 7,
  /** memcg_free: it is gone (nothing may point at it); its parent takes its counters; the tree, the memcg LRU, the iterators */
  free: 8,
  /** objcg_reparent: objcgs re-pointed (their folios' tallies move at once), both memcgs' counters and objcg lists */
  objcgReparent: 9,
  /** objcg_release: the objcg is gone (no folio may be charged to it) */
  objcgRelease: 10,
  /** splice: one list moved onto the parent's: that list walked, both lruvecs' counters */
  splice: 11,
  /** reparent_unlocks: the counters skipped under the locks: both memcgs' lruvecs walked, their counters */
  unlocks: 12,
  /** age (inc_max_seq, inc_min_seq moving folios up): the lruvec walked */
  age: 13,
  /** inc_min_seq: the lruvec's window (memcg, node in a) */
  window: 14,
  /** walk_start: the walked memcg's css ref, its lruvec (node in a) */
  walkStart: 15,
  /** walk_flush: the batch written into memcg's lruvec (node in a) */
  walkFlush: 16,
  /** walk_forward: the pending batch moves from memcg's lruvec to a's */
  walkForward: 17,
  /** walk_end (css ref), memcg_iter (reclaim iterator): the memcg's own counters */
  memcg: 18,
  /** memcg_lru_rotate: the node's memcg LRU */
  memcgLru: 19,
  /** machine, sysctl: the setup, before any folio; checked in full */
  full: 20,
  /** charge, uncharge, evict: the folio comes or goes: its lruvec, its memcg and ancestors, objcg, node, page-cache slot */
  life: 21,
} as const;

const BY_NAME: Record<EventTypeName, number> = {
  machine: Touch.full,
  sysctl: Touch.full,
  memcg_create: Touch.create,
  memcg_offline: Touch.offline,
  memcg_free: Touch.free,
  objcg_reparent: Touch.objcgReparent,
  objcg_release: Touch.objcgRelease,
  charge: Touch.life,
  uncharge: Touch.life,
  access: Touch.folio,
  activate: Touch.folio,
  deactivate: Touch.folio,
  evict: Touch.life,
  refault: Touch.refault,
  gen_update: Touch.folio,
  sort: Touch.folio,
  folio_map: Touch.folio,
  folio_unmap: Touch.folio,
  putback: Touch.folio,
  writeback_start: Touch.folio,
  writeback_end: Touch.folio,
  lruvec_lock_retry: Touch.folio,
  swap_out: Touch.swapOut,
  swap_free: Touch.swapFree,
  memcg_stock: Touch.stock,
  splice: Touch.splice,
  reparent_locks: Touch.none,
  reparent_unlocks: Touch.unlocks,
  age: Touch.age,
  inc_min_seq: Touch.window,
  walk_start: Touch.walkStart,
  walk_flush: Touch.walkFlush,
  walk_forward: Touch.walkForward,
  walk_end: Touch.memcg,
  kill_css: Touch.memcg,
  offline_css_done: Touch.memcg,
  memcg_iter: Touch.memcg,
  memcg_lru_rotate: Touch.memcgLru,
  // memory_reclaim*, limits, tasks, cycles, scans, kswapd, costs: counters no invariant reads
  css_tryget: Touch.memcg, // a css ref taken
  css_put: Touch.memcg,
  memcg_get_read: Touch.none, // bounded-retries is checked after every event
  memcg_get_giveup: Touch.none,
  memcg_deref: Touch.none, // use-after-free is checked after every event
  rcu_read_lock: Touch.none,
  rcu_read_unlock: Touch.none,
  // the split queues are checked whole after every event while any exists (incremental.ts finish)
  deferred_split_queue: Touch.none,
  split_queue_lock_retry: Touch.none,
  split_queue_reparent: Touch.none,
  deferred_split_unqueue: Touch.none,
  scan: Touch.none,
  reclaim_begin: Touch.none,
  reclaim_end: Touch.none,
  job_start: Touch.none,
  job_exit: Touch.none,
  cycle: Touch.none,
  limit_set: Touch.none,
  shadow_reclaim: Touch.none,
  memcg_memory_event: Touch.none,
  oom_kill: Touch.none,
  memcg_over_high: Touch.none,
  memcg_throttle: Touch.none,
  memory_reclaim: Touch.none,
  memory_reclaim_end: Touch.none,
  kswapd_wake: Touch.none,
  kswapd_sleep: Touch.none,
  lru_note_cost: Touch.none,
  snapshot_refaults: Touch.none,
};

/** Touch kind by event code (an unknown code is checked in full). */
export const TOUCH: Uint8Array = (() => {
  const t = new Uint8Array(256).fill(Touch.full);
  for (const [name, kind] of Object.entries(BY_NAME)) t[EventType[name as EventTypeName] as EventCode] = kind;
  return t;
})();
