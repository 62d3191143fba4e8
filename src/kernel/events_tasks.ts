import { type EventDecl, folio, memcg } from './event_decl.js';
import { MEMCG_GET_GIVEUPS, TASKS } from './event_values.js';

// The catalogue's events of tasks beside the workload (machine.concurrency, issue 13): the MGLRU
// page-table walk as a task, RCU read sections, a reader's dereference, folio_lruvec_lock's
// retry, the offline worker's css ref. Part of CATALOGUE (events.ts); codes never reused.

export const TASK_EVENTS = {
  walk_start: {
    code: 57,
    what: "an MGLRU page-table walk of memcg's lruvec begins as its own task (try_to_inc_max_seq → walk_mm; mem_cgroup_iter's css ref held)",
    args: [memcg(), { col: 'a', means: 'node' }, { col: 'b', means: 'max_seq it will age from' }],
  },
  walk_flush: {
    code: 58,
    what: "reset_batch_size(): the walk's batched nr_pages and LRU sizes written into memcg's lruvec",
    args: [memcg('the lruvec the batch lands in'), { col: 'a', means: 'node' }],
  },
  walk_forward: {
    code: 59,
    what: 'the fix for the stale batch (lock_batch_lruvec, lrugen->reparented): a pending walk batch follows the reparented lruvec to its parent',
    args: [memcg('the reparented child'), { col: 'a', means: 'parent' }],
  },
  walk_end: {
    code: 60,
    what: "the walk task ends: mem_cgroup_iter's css ref on memcg dropped",
    args: [memcg(), { col: 'a', means: 'node' }],
  },
  rcu_read_lock: {
    code: 61,
    what: 'a task enters an RCU read section: no memcg whose last ref goes is freed until it leaves (the grace period)',
    args: [{ col: 'a', means: 'task', values: TASKS }],
  },
  rcu_read_unlock: {
    code: 62,
    what: 'a task leaves its RCU read section',
    args: [{ col: 'a', means: 'task', values: TASKS }],
  },
  lruvec_lock_retry: {
    code: 64,
    what: "folio_lruvec_lock(): the lruvec locked is not the folio's any more (it was reparented after folio_lruvec()): unlock and retry",
    args: [folio, memcg('the memcg whose lruvec was locked'), { col: 'a', means: 'task', values: TASKS }],
  },
  memcg_deref: {
    code: 63,
    what: "a task dereferences the memcg it took from folio's memcg_data earlier (page_cgroup_ino: the first online ancestor's cgroup ino)",
    args: [folio, memcg('the memcg it read from the folio'), { col: 'a', means: 'task', values: TASKS }],
  },
  // 65–69: the THP split queue; 70–74: get_mem_cgroup_from_folio() as a task (policy/memcg_getter.ts)
  memcg_get_read: {
    code: 70,
    what: 'get_mem_cgroup_from_folio(): memcg = folio_memcg(folio) under rcu_read_lock (b = 0: the first read; n: the read after the n-th failed css_tryget)',
    args: [folio, memcg('what folio_memcg() returned'), { col: 'a', means: 'task', values: TASKS }, { col: 'b', means: 'retry' }],
  },
  css_tryget: {
    code: 71,
    what: "css_tryget(&memcg->css): takes a css ref unless the refcount is already zero (b = 1 got it; 0 failed: the memcg's last ref is gone)",
    args: [memcg(), folio, { col: 'a', means: 'task', values: TASKS }, { col: 'b', means: 'got the ref', bool: true }],
  },
  css_put: {
    code: 72,
    what: "css_put(): the getter's caller drops the ref css_tryget took",
    args: [memcg(), { col: 'a', means: 'task', values: TASKS }],
  },
  memcg_get_giveup: {
    code: 73,
    what: 'the lab ends a get_mem_cgroup_from_folio() call without a memcg (the kernel would not: its caller holds the folio, and a spin goes on)',
    args: [
      memcg('the memcg last tried'),
      folio,
      { col: 'a', means: 'task', values: TASKS },
      { col: 'b', means: 'why', values: MEMCG_GET_GIVEUPS },
    ],
  },
  // 75–79: the offline worker as a task (policy/reparent/objcgs.ts, policy/cgroup.ts)
  kill_css: {
    code: 75,
    what: 'kill_css(): rmdir takes a css ref on memcg that css_killed_work_fn() puts after offline_css(), so a memcg is never freed while its offline runs (machine.concurrency.offlineWorker)',
    args: [memcg()],
  },
  offline_css_done: {
    code: 76,
    what: 'css_killed_work_fn(): offline_css() returned; the css ref kill_css() took is put',
    args: [memcg()],
  },
} as const satisfies Record<string, EventDecl>;
