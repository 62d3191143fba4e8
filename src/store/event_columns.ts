import type { EventTypeName } from '../kernel/events.js';

/** What the generic columns mean for each event type (shown in the event_types table). */
export const EVENT_COLUMNS: Record<EventTypeName, string> = {
  machine: 'a=memory pages, b=flags (1 mglru, 2 objcg charging)',
  memcg_create: 'memcg=new id, a=parent, data=name',
  memcg_offline: 'memcg',
  memcg_free: 'memcg',
  objcg_reparent: 'memcg=from, a=to',
  objcg_release: 'a=objcg',
  charge: 'folio, memcg=charged memcg, a=flags (1 file, 2 active, 4 workingset, 8 mapped, 16 referenced), b=page-cache key (inode<<32|index)',
  uncharge: 'folio',
  access: 'folio',
  activate: 'folio',
  deactivate: 'folio',
  rotate: 'folio',
  evict: 'folio, memcg=reclaim target',
  refault: 'folio, memcg=memcg named by the shadow, a=flags (1 recent, 2 workingset)',
  scan: 'memcg, a=lru list, b=nr isolated',
  reclaim_begin: 'memcg=target, a=nr_to_reclaim',
  reclaim_end: 'memcg=target, a=lruvecs visited, b=nr reclaimed',
  splice: 'memcg=from, a=to, b=lru list',
  reparent_locks: 'memcg=child, a=parent',
  reparent_unlocks: 'memcg=child, a=parent',
  job_start: 'memcg, a=cycle',
  job_exit: 'memcg, a=cycle',
  cycle: 'a=cycle ended',
  limit_set: 'memcg, a=limit (1 max, 2 high), b=pages (-1 max)',
};
