import { type EventDecl, folio, memcg } from './event_decl.js';
import { TASKS } from './event_values.js';

// The catalogue's events of the THP deferred split queue (machine.concurrency.thpSplitQueue, issue
// 13; mm/huge_memory.c). The lab has order-0 folios only: a queued folio stands for a partially
// unmapped THP that deferred_split_folio() queued. Codes 65–69 are this part's; never reused.

export const THP_EVENTS = {
  deferred_split_queue: {
    code: 65,
    what: "deferred_split_folio(): folio added to the tail of memcg's deferred split queue (split_queue_len++), under the split_queue_lock the task holds",
    args: [folio, memcg('the memcg whose split queue (and split_queue_lock) it is'), { col: 'a', means: 'task', values: TASKS }],
  },
  split_queue_lock_retry: {
    code: 66,
    what: 'split_queue_lock(nid, memcg): memcg is dying (css_is_dying) once its split_queue_lock is held: unlock, retry with parent_mem_cgroup(memcg)',
    args: [folio, memcg('the dying memcg whose split queue was locked'), { col: 'a', means: 'task', values: TASKS }],
  },
  split_queue_reparent: {
    code: 67,
    what: "reparent_deferred_split_queue(): under the child's then the parent's split_queue_lock (SINGLE_DEPTH_NESTING), the child's queue spliced to the parent's tail and split_queue_len moved",
    args: [memcg('the offlined child'), { col: 'a', means: 'parent' }, { col: 'b', means: 'split_queue_len moved' }],
  },
  deferred_split_unqueue: {
    code: 68,
    what: '__folio_unqueue_deferred_split() (the folio is freed): list_del_init of folio, split_queue_len-- of the queue whose split_queue_lock was taken',
    args: [folio, memcg('the memcg whose split queue lock was taken (split_queue_len decremented)')],
  },
  // 69: reserved for deferred_split_scan() (the shrinker's split) if the lab models it
} as const satisfies Record<string, EventDecl>;
