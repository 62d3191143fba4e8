import { type Arg, type Column, type EventDecl, folio, memcg } from './event_decl.js';
import {
  FOLIO_FLAGS,
  LIMITS,
  MACHINE_FLAGS,
  MEMCG_LRU_OPS,
  MEMORY_EVENTS,
  PUTBACK_REASONS,
  RECLAIM_RESULTS,
  RECLAIMERS,
  REFAULT_FLAGS,
  REPARENT_LOCK_ORDERS,
  SCAN_LISTS,
  SORT_REASONS,
  SPLICE_TARGETS,
  SYSCTLS,
} from './event_values.js';
import { TASK_EVENTS } from './events_tasks.js';
import { THP_EVENTS } from './events_thp.js';

/**
 * The event catalogue, declared once: each event's code, name, what it means, and what each of
 * its columns holds (with the enum values a column takes). The typed constructors `E.*`, the
 * `EventType` codes and the rows of the `event_types` table are all derived from it.
 * Codes are stored in the log and never reused or renumbered; new events get new codes.
 * Each event carries what `evolve` needs and nothing it can derive.
 */
export const EVENT_SCHEMA_VERSION = 1;

export type { Arg, Column } from './event_decl.js';
export * from './event_values.js';

export const CATALOGUE = {
  machine: {
    code: 1,
    what: 'the simulated machine',
    args: [
      { col: 'a', means: 'memory pages' },
      { col: 'b', means: 'flags + 256 × (nodes - 1)', flags: MACHINE_FLAGS },
    ],
  },
  memcg_create: {
    code: 2,
    what: 'mkdir of a cgroup',
    args: [
      memcg('new id'),
      { col: 'a', means: 'parent' },
      { col: 'data', means: 'name' },
      { col: 'b', means: 'memcg LRU bin (MGLRU)', default: 0 },
    ],
  },
  memcg_offline: {
    code: 3,
    what: 'rmdir: css killed, online ID ref dropped',
    args: [memcg(), { col: 'b', means: 'memcg LRU bin (MGLRU: MEMCG_LRU_OLD)', default: 0 }],
  },
  memcg_free: { code: 4, what: 'css refcount reached 0, css_free ran', args: [memcg()] },
  objcg_reparent: {
    code: 5,
    what: "node b's objcg and every one on from's node-b list re-pointed to `to`",
    args: [memcg('from'), { col: 'a', means: 'to' }, { col: 'b', means: 'nid', default: 0 }],
  },
  objcg_release: { code: 6, what: 'objcg killed and uncharged: freed', args: [{ col: 'a', means: 'objcg' }] },
  charge: {
    code: 7,
    what: 'alloc + charge + LRU add',
    args: [
      folio,
      memcg('charged memcg'),
      { col: 'a', means: 'flags + 256 × nid', flags: FOLIO_FLAGS },
      { col: 'b', means: 'page-cache key (inode<<32|index)' },
    ],
  },
  uncharge: { code: 8, what: 'folio freed: anon at exit, truncation', args: [folio] },
  access: { code: 9, what: 'folio_mark_accessed / young PTE', args: [folio] },
  activate: {
    code: 10,
    what: 'inactive → active head',
    args: [
      folio,
      { col: 'b', means: "the memcg whose lruvec lock a task beside the workload took for it (0: the folio's own, inline)", default: 0 },
    ],
  },
  deactivate: { code: 11, what: 'active → inactive head, PG_workingset set', args: [folio] },
  // 12 is retired (rotate): only mapped file folios with young PTEs are kept on the inactive list, and none are modelled
  evict: {
    code: 13,
    what: 'reclaimed, leaves a shadow naming the target',
    // b is derivable (folio_memcg() before the folio goes) and is logged for queries: who lost the
    // folio, without replaying ownership through charges and reparents. evolve checks it.
    args: [
      folio,
      memcg('reclaim target'),
      { col: 'b', means: 'owner: folio_memcg() when evicted (reparented: the ancestor; 0 in logs before it was recorded)' },
      { col: 'a', means: 'reclaimer', values: RECLAIMERS, default: 0 },
    ],
  },
  refault: {
    code: 14,
    what: 'a shadow entry hit on fault',
    args: [
      folio,
      memcg('memcg named by the shadow'),
      { col: 'a', means: 'flags', flags: REFAULT_FLAGS },
      { col: 'b', means: 'refs (MGLRU token)', default: 0 },
    ],
  },
  scan: {
    code: 15,
    what: 'folios isolated from one list',
    args: [
      memcg(),
      { col: 'a', means: 'lru list + 8 × reclaimer (0 direct, 1 kswapd, 2 proactive)', values: SCAN_LISTS },
      { col: 'b', means: 'nr isolated' },
    ],
  },
  reclaim_begin: { code: 16, what: 'start of one reclaim pass', args: [memcg('target'), { col: 'a', means: 'nr_to_reclaim' }] },
  reclaim_end: {
    code: 17,
    what: 'end of one reclaim pass',
    args: [memcg('target'), { col: 'a', means: 'lruvecs visited' }, { col: 'b', means: 'nr reclaimed' }],
  },
  splice: {
    code: 18,
    what: 'one list moved to the parent',
    args: [
      memcg('from'),
      { col: 'a', means: 'to' },
      {
        col: 'b',
        means:
          'lru list (classic) or 256|child gen|type<<2|parent gen<<3|mode<<5|stale<<7 (MGLRU; mode 0 same gen head, 1 rewrite tail, 2 rewrite head, 3 same gen tail; stale: bug stale-active-stats), + 4096 × nid',
        values: SPLICE_TARGETS,
      },
    ],
  },
  reparent_locks: {
    code: 19,
    what: "objcg_lock, child's and parent's lruvec locks taken (b: which, in which order, and of which node)",
    args: [
      memcg('child'),
      { col: 'a', means: 'parent' },
      { col: 'b', means: 'lock order + 256 × nid (per node: that node; all nodes at once: 0)', values: REPARENT_LOCK_ORDERS, default: 0 },
    ],
  },
  reparent_unlocks: {
    code: 20,
    what: 'lruvec locks and objcg_lock dropped (b & 1: the recheck failed, retry)',
    args: [memcg('child'), { col: 'a', means: 'parent' }, { col: 'b', means: '1 when dropped to retry, + 256 × nid', default: 0 }],
  },
  job_start: { code: 21, what: 'a job instance starts in its cgroup', args: [memcg(), { col: 'a', means: 'cycle' }] },
  job_exit: { code: 22, what: 'the job instance exits', args: [memcg(), { col: 'a', means: 'cycle' }] },
  cycle: { code: 23, what: 'a workload cycle ended', args: [{ col: 'a', means: 'cycle ended' }] },
  limit_set: {
    code: 24,
    what: 'memory.max / memory.high written',
    args: [memcg(), { col: 'a', means: 'limit', values: LIMITS }, { col: 'b', means: 'pages (-1 max)' }],
  },
  // MGLRU
  age: {
    code: 25,
    what: 'inc_max_seq, with inc_min_seq first for a type at MAX_NR_GENS',
    args: [memcg(), { col: 'a', means: 'evictable types + 256 × nid', flags: { anon: 1, file: 2 } }],
  },
  inc_min_seq: {
    code: 26,
    what: 'try_to_inc_min_seq dropping empty oldest gens (one reset_ctrl_pos)',
    args: [
      memcg(),
      { col: 'a', means: 'type + 256 × nid', values: { anon: 0, file: 1 } },
      { col: 'b', means: 'gens dropped (0 in old logs: 1)', default: 1 },
    ],
  },
  gen_update: {
    code: 27,
    what: 'page-table walk promotion (folio_update_gen), no list move',
    args: [
      folio,
      { col: 'a', means: 'new gen' },
      {
        col: 'b',
        means: 'batched: the size change waits in the walk batch (update_batch_size) until walk_flush',
        values: { now: 0, batched: 1 },
        default: 0,
      },
    ],
  },
  sort: {
    code: 28,
    what: 'sort_folio: lazy move to its gen list, or protection',
    args: [folio, { col: 'a', means: 'reason', values: SORT_REASONS }],
  },
  memcg_lru_rotate: {
    code: 29,
    what: 'memcg LRU rotation',
    args: [memcg(), { col: 'a', means: 'op + 256 × nid', values: MEMCG_LRU_OPS }, { col: 'b', means: 'bin' }],
  },
  shadow_reclaim: {
    code: 30,
    what: 'the workingset shadow shrinker',
    args: [{ col: 'a', means: 'number of oldest shadow entries dropped' }],
  },
  // Reclaim as the kernel does it (issue 9): codes 31–49
  sysctl: {
    code: 31,
    what: 'a vm sysctl or the swap device set (before any folio)',
    args: [
      { col: 'a', means: 'which', values: SYSCTLS },
      { col: 'b', means: 'value' },
    ],
  },
  kswapd_wake: {
    code: 32,
    what: 'wakeup_kswapd(): an allocation found free pages at or below the low watermark',
    args: [{ col: 'a', means: 'nid', default: 0 }],
  },
  kswapd_sleep: {
    code: 33,
    what: 'balance_pgdat() done, kswapd sleeps (b = 1: it reclaimed nothing, kswapd_failures++)',
    args: [
      { col: 'a', means: 'nid', default: 0 },
      { col: 'b', means: '1 when nothing was reclaimed', bool: true, default: false },
    ],
  },
  memcg_iter: {
    code: 34,
    what: "a partial walk's reclaim cookie: the iterator position of walks rooted at memcg",
    args: [
      memcg('walk root'),
      { col: 'a', means: 'last memcg visited (0: none)' },
      { col: 'b', means: '1 when the walk reached the end (generation++), + 256 × nid', default: 0 },
    ],
  },
  folio_map: { code: 35, what: 'a fault maps a cached file folio (folio_add_file_rmap), young PTE', args: [folio] },
  folio_unmap: { code: 36, what: 'the mapping goes (zap at exit)', args: [folio] },
  putback: {
    code: 37,
    what: 'shrink_folio_list() kept an isolated folio: back on an LRU',
    args: [folio, { col: 'a', means: 'why', values: PUTBACK_REASONS }],
  },
  writeback_start: { code: 38, what: 'the flusher starts writing a dirty file folio back', args: [folio] },
  writeback_end: {
    code: 39,
    what: 'folio_end_writeback(): with PG_reclaim, folio_rotate_reclaimable() to the inactive tail',
    args: [folio],
  },
  swap_out: {
    code: 40,
    what: 'folio_alloc_swap + try_to_unmap + pageout: swap entry charged to memcg (its ID held), writeback started, PG_reclaim',
    args: [folio, memcg('mem_cgroup_id_get_online() of the folio memcg')],
  },
  swap_free: { code: 41, what: 'a swap entry freed (__mem_cgroup_uncharge_swap, ID put)', args: [folio] },
  lru_note_cost: {
    code: 42,
    what: 'lru_note_cost(): reclaim cost added to a lruvec and its ancestors',
    args: [
      memcg(),
      { col: 'a', means: 'type + 256 × nid', values: { anon: 0, file: 1 } },
      { col: 'b', means: 'cost (nr_io × SWAP_CLUSTER_MAX + nr_rotated)' },
    ],
  },
  snapshot_refaults: {
    code: 43,
    what: "snapshot_refaults(): the target's WORKINGSET_ACTIVATE counts, kept for the next prepare_scan_control",
    args: [memcg('target'), { col: 'a', means: 'nid', default: 0 }],
  },
  // 44 is retired (memcg_low): MEMCG_LOW is a memory.events event, logged as memcg_memory_event

  // memcg limits (50-69): memory.events, the charge stock, memory.high throttling, the OOM killer, memory.reclaim
  memcg_memory_event: {
    code: 50,
    what: 'memcg_memory_event(): memory.events.local of memcg, memory.events of it and its ancestors below the root',
    args: [memcg(), { col: 'a', means: 'event', values: MEMORY_EVENTS }],
  },
  oom_kill: {
    code: 51,
    what: '__oom_kill_process(): the task of memcg is killed (mark_oom_victim); the oom_reaper frees its anon next',
    args: [memcg('victim'), { col: 'a', means: 'OOM domain: the memcg over its limit, or the root for a global OOM' }],
  },
  memcg_stock: {
    code: 52,
    what: 'refill_stock() (a > 0: charged to the page counters ahead of use) or drain_stock() (a < 0: uncharged)',
    args: [memcg(), { col: 'a', means: 'pages (signed)' }],
  },
  memcg_over_high: {
    code: 53,
    what: "current->memcg_nr_pages_over_high of memcg's task: += batch after a charge over memory.high, reset by mem_cgroup_handle_over_high",
    args: [memcg(), { col: 'a', means: 'pages (signed)' }],
  },
  memcg_throttle: {
    code: 54,
    what: 'mem_cgroup_handle_over_high(): the task slept (schedule_timeout_killable); stamped at wake-up',
    args: [memcg(), { col: 'a', means: 'penalty jiffies (HZ = 1000: ms)' }, { col: 'b', means: 'ticks slept' }],
  },
  memory_reclaim: {
    code: 55,
    what: 'a write to memory.reclaim (memory_reclaim → user_proactive_reclaim) begins',
    args: [memcg(), { col: 'a', means: 'pages asked for' }, { col: 'b', means: 'swappiness= (-1: none)', default: -1 }],
  },
  memory_reclaim_end: {
    code: 56,
    what: 'the memory.reclaim write returns',
    args: [memcg(), { col: 'a', means: 'pages reclaimed' }, { col: 'b', means: 'result', values: RECLAIM_RESULTS }],
  },
  ...TASK_EVENTS,
  ...THP_EVENTS,
} as const satisfies Record<string, EventDecl>;

type Catalogue = typeof CATALOGUE;
export type EventTypeName = keyof Catalogue;

export const EventType = Object.fromEntries(Object.entries(CATALOGUE).map(([k, d]) => [k, d.code])) as {
  readonly [K in EventTypeName]: Catalogue[K]['code'];
};
export type EventCode = (typeof EventType)[EventTypeName];

export const EVENT_NAMES: Record<number, EventTypeName> = Object.fromEntries(
  Object.entries(CATALOGUE).map(([k, d]) => [d.code, k as EventTypeName]),
);

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

type Camel<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
type ArgType<A> = A extends { col: 'data' } ? string : A extends { bool: true } ? boolean : number;
type Params<As> = As extends readonly [infer H, ...infer T]
  ? H extends { default: unknown }
    ? [ArgType<H>?, ...Params<T>]
    : [ArgType<H>, ...Params<T>]
  : [];
type Constructors = { readonly [K in EventTypeName as Camel<K>]: (...args: Params<Catalogue[K]['args']>) => Event };

const COLUMNS: readonly Column[] = ['memcg', 'folio', 'a', 'b', 'data'];

/** A constructor storing its arguments in the declared columns (hot path: no per-call lookups). */
function eventConstructor(code: EventCode, args: readonly Arg[]): (...v: (number | boolean | string | undefined)[]) => Event {
  const at = COLUMNS.map((c) => args.findIndex((a) => a.col === c));
  const col = (v: readonly unknown[], k: number, empty: number | null): number | string | null => {
    const i = at[k];
    if (i < 0) return empty;
    const x = v[i] ?? args[i].default;
    return typeof x === 'boolean' ? (x ? 1 : 0) : (x as number | string);
  };
  return (...v) =>
    ev(
      code,
      col(v, 0, 0) as number,
      col(v, 1, 0) as number,
      col(v, 2, 0) as number,
      col(v, 3, 0) as number,
      col(v, 4, null) as string | null,
    );
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Typed constructors: deciders build events through these, so each column's meaning is named once (above). */
export const E = Object.fromEntries(
  Object.entries(CATALOGUE).map(([k, d]) => [camel(k), eventConstructor(d.code as EventCode, d.args)]),
) as unknown as Constructors;
