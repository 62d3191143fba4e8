import { EventType, type EventTypeName } from '../events.js';
import { activate, deactivate } from './classic.js';
import { access, charge, refault, uncharge } from './folio.js';
import type { Handler } from './guards.js';
import { memcgMemoryEvent, memcgOverHigh, memcgStock, memcgThrottle, memoryReclaim, memoryReclaimEnd, oomKill } from './limits.js';
import { age, genUpdate, incMinSeqEvent, memcgLruRotateEvent, sort } from './lru_gen.js';
import { cycle, jobExit, jobStart, limitSet, machine } from './machine.js';
import { killCss, memcgCreate, memcgFree, memcgOffline, objcgRelease, objcgReparent, offlineCssDone } from './memcg.js';
import { cssPut, cssTryget, memcgGetGiveup, memcgGetRead } from './memcg_get.js';
import { lruvecLockRetry, memcgDeref, rcuReadLock, rcuReadUnlock } from './rcu.js';
import { evict, reclaimBegin, reclaimEnd, scan, shadowReclaim } from './reclaim.js';
import { reparentLocks, reparentUnlocks, spliceEvent } from './reparent.js';
import { deferredSplitQueue, deferredSplitUnqueue, splitQueueLockRetry, splitQueueReparent } from './split_queue.js';
import { swapFree, swapOut } from './swap.js';
import { kswapdSleep, kswapdWake, lruNoteCost, memcgIter, snapshotRefaults, sysctl } from './vm.js';
import { walkEnd, walkFlush, walkForward, walkStart } from './walk.js';
import { folioMap, folioUnmap, putback, writebackEnd, writebackStart } from './writeback.js';

/** One handler per event type in the catalogue; the compiler checks none is missing. */
const BY_NAME: Record<EventTypeName, Handler> = {
  machine,
  memcg_create: memcgCreate,
  memcg_offline: memcgOffline,
  memcg_free: memcgFree,
  objcg_reparent: objcgReparent,
  objcg_release: objcgRelease,
  charge,
  uncharge,
  access,
  activate,
  deactivate,
  evict,
  refault,
  scan,
  reclaim_begin: reclaimBegin,
  reclaim_end: reclaimEnd,
  splice: spliceEvent,
  reparent_locks: reparentLocks,
  reparent_unlocks: reparentUnlocks,
  job_start: jobStart,
  job_exit: jobExit,
  cycle,
  limit_set: limitSet,
  age,
  inc_min_seq: incMinSeqEvent,
  gen_update: genUpdate,
  walk_start: walkStart,
  kill_css: killCss,
  offline_css_done: offlineCssDone,
  walk_flush: walkFlush,
  walk_forward: walkForward,
  walk_end: walkEnd,
  rcu_read_lock: rcuReadLock,
  rcu_read_unlock: rcuReadUnlock,
  memcg_deref: memcgDeref,
  lruvec_lock_retry: lruvecLockRetry,
  memcg_get_read: memcgGetRead,
  css_tryget: cssTryget,
  css_put: cssPut,
  memcg_get_giveup: memcgGetGiveup,
  sort,
  memcg_lru_rotate: memcgLruRotateEvent,
  shadow_reclaim: shadowReclaim,
  memcg_memory_event: memcgMemoryEvent,
  oom_kill: oomKill,
  memcg_stock: memcgStock,
  memcg_over_high: memcgOverHigh,
  memcg_throttle: memcgThrottle,
  memory_reclaim: memoryReclaim,
  memory_reclaim_end: memoryReclaimEnd,
  sysctl,
  kswapd_wake: kswapdWake,
  kswapd_sleep: kswapdSleep,
  memcg_iter: memcgIter,
  folio_map: folioMap,
  folio_unmap: folioUnmap,
  putback,
  writeback_start: writebackStart,
  writeback_end: writebackEnd,
  swap_out: swapOut,
  swap_free: swapFree,
  lru_note_cost: lruNoteCost,
  snapshot_refaults: snapshotRefaults,
  deferred_split_queue: deferredSplitQueue,
  split_queue_lock_retry: splitQueueLockRetry,
  split_queue_reparent: splitQueueReparent,
  deferred_split_unqueue: deferredSplitUnqueue,
};

/** The dispatch table, by event code. */
export const HANDLERS: ReadonlyMap<number, Handler> = new Map(
  (Object.keys(BY_NAME) as EventTypeName[]).map((name) => [EventType[name], BY_NAME[name]]),
);
