import { MEMCG_LRU_HEAD, MEMCG_LRU_OLD, MEMCG_LRU_TAIL, MEMCG_LRU_YOUNG } from './memcg_lru.js';
import { MEMORY_EVENT_NAMES } from './memcg_events.js';

/**
 * The event catalogue, declared once: each event's code, name, what it means, and what each of
 * its columns holds (with the enum values a column takes). The typed constructors `E.*`, the
 * `EventType` codes and the rows of the `event_types` table are all derived from it.
 * Codes are stored in the log and never reused or renumbered; new events get new codes.
 * Each event carries what `evolve` needs and nothing it can derive.
 */
export const EVENT_SCHEMA_VERSION = 1;

export const MACHINE_FLAGS = { mglru: 1, 'objcg charging': 2 } as const;
export const MACHINE_MGLRU = MACHINE_FLAGS.mglru;
export const MACHINE_OBJCG = MACHINE_FLAGS['objcg charging']; // LRU folios charged through objcgs (the fix)

/** charge flags: the folio's flags, and `stocked` when consume_stock() served the charge (the page counters already hold it) */
export const FOLIO_FLAGS = { file: 1, active: 2, workingset: 4, mapped: 8, referenced: 16, stocked: 32 } as const;
export const FOLIO_FILE = FOLIO_FLAGS.file;
export const FOLIO_ACTIVE = FOLIO_FLAGS.active;
export const FOLIO_WORKINGSET = FOLIO_FLAGS.workingset;
export const FOLIO_MAPPED = FOLIO_FLAGS.mapped;
export const FOLIO_REFERENCED = FOLIO_FLAGS.referenced;
export const CHARGE_STOCKED = FOLIO_FLAGS.stocked;

const MEMORY_EVENTS = Object.fromEntries(MEMORY_EVENT_NAMES.map((n, i) => [n, i])) as Readonly<Record<string, number>>;

/** memory.reclaim's result: 0, or -EAGAIN after MAX_RECLAIM_RETRIES passes that reclaimed nothing */
export const RECLAIM_RESULTS = { ok: 0, eagain: 1 } as const;
export const RECLAIM_OK = RECLAIM_RESULTS.ok;
export const RECLAIM_EAGAIN = RECLAIM_RESULTS.eagain;

/** activate: MGLRU counts the refault as an activation only inside a fault */
export const REFAULT_FLAGS = { recent: 1, workingset: 2, activate: 4 } as const;
export const REFAULT_RECENT = REFAULT_FLAGS.recent;
export const REFAULT_WORKINGSET = REFAULT_FLAGS.workingset;
export const REFAULT_ACTIVATE = REFAULT_FLAGS.activate;

export const SORT_REASONS = { promoted: 1, protected: 2 } as const;
export const SORT_PROMOTED = SORT_REASONS.promoted;
export const SORT_PROTECTED = SORT_REASONS.protected;

export const LIMITS = { max: 1, high: 2 } as const;
export const LIMIT_MAX = LIMITS.max;
export const LIMIT_HIGH = LIMITS.high;

const MEMCG_LRU_OPS = { head: MEMCG_LRU_HEAD, tail: MEMCG_LRU_TAIL, old: MEMCG_LRU_OLD, young: MEMCG_LRU_YOUNG } as const;

/**
 * splice.b for MGLRU: SPLICE_MGLRU | child gen | type<<2 | parent gen<<3 | mode<<5 (see
 * encodeSplice); below SPLICE_MGLRU, b is a classic LRU list.
 */
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

type Column = 'memcg' | 'folio' | 'a' | 'b' | 'data';

/**
 * One constructor argument: the column it is stored in, what it means there, the values it
 * takes (`flags`: bits that combine; `values`: one of), and a default that makes it optional.
 * `bool`: the argument is a boolean stored as 1 / 0.
 */
interface Arg {
  readonly col: Column;
  readonly means?: string;
  readonly flags?: Readonly<Record<string, number>>;
  readonly values?: Readonly<Record<string, number>>;
  readonly default?: number | boolean;
  readonly bool?: true;
}

interface EventDecl {
  readonly code: number;
  /** what happened, in kernel terms */
  readonly what: string;
  /** constructor arguments, in order; columns not named are 0 (data: null) */
  readonly args: readonly Arg[];
}

const memcg = (means?: string): Arg => ({ col: 'memcg', means });
const folio: Arg = { col: 'folio' };

export const CATALOGUE = {
  machine: { code: 1, what: 'the simulated machine', args: [{ col: 'a', means: 'memory pages' }, { col: 'b', means: 'flags', flags: MACHINE_FLAGS }] },
  memcg_create: {
    code: 2, what: 'mkdir of a cgroup',
    args: [memcg('new id'), { col: 'a', means: 'parent' }, { col: 'data', means: 'name' }, { col: 'b', means: 'memcg LRU bin (MGLRU)', default: 0 }],
  },
  memcg_offline: { code: 3, what: 'rmdir: css killed, online ID ref dropped', args: [memcg(), { col: 'b', means: 'memcg LRU bin (MGLRU: MEMCG_LRU_OLD)', default: 0 }] },
  memcg_free: { code: 4, what: 'css refcount reached 0, css_free ran', args: [memcg()] },
  objcg_reparent: { code: 5, what: "every objcg on from's list re-pointed to `to`", args: [memcg('from'), { col: 'a', means: 'to' }] },
  objcg_release: { code: 6, what: 'objcg killed and uncharged: freed', args: [{ col: 'a', means: 'objcg' }] },
  charge: {
    code: 7, what: 'alloc + charge + LRU add',
    args: [folio, memcg('charged memcg'), { col: 'a', means: 'flags', flags: FOLIO_FLAGS }, { col: 'b', means: 'page-cache key (inode<<32|index)' }],
  },
  uncharge: { code: 8, what: 'folio freed: anon at exit, truncation', args: [folio] },
  access: { code: 9, what: 'folio_mark_accessed / young PTE', args: [folio] },
  activate: { code: 10, what: 'inactive → active head', args: [folio] },
  deactivate: { code: 11, what: 'active → inactive head, PG_workingset set', args: [folio] },
  // 12 is retired (rotate): only mapped file folios with young PTEs are kept on the inactive list, and none are modelled
  evict: { code: 13, what: 'reclaimed, leaves a shadow naming the target', args: [folio, memcg('reclaim target')] },
  refault: {
    code: 14, what: 'a shadow entry hit on fault',
    args: [folio, memcg('memcg named by the shadow'), { col: 'a', means: 'flags', flags: REFAULT_FLAGS }, { col: 'b', means: 'refs (MGLRU token)', default: 0 }],
  },
  scan: { code: 15, what: 'folios isolated from one list', args: [memcg(), { col: 'a', means: 'lru list' }, { col: 'b', means: 'nr isolated' }] },
  reclaim_begin: { code: 16, what: 'start of one reclaim pass', args: [memcg('target'), { col: 'a', means: 'nr_to_reclaim' }] },
  reclaim_end: { code: 17, what: 'end of one reclaim pass', args: [memcg('target'), { col: 'a', means: 'lruvecs visited' }, { col: 'b', means: 'nr reclaimed' }] },
  splice: {
    code: 18, what: 'one list moved to the parent',
    args: [memcg('from'), { col: 'a', means: 'to' }, { col: 'b', means: 'lru list (classic) or 256|child gen|type<<2|parent gen<<3|mode<<5 (MGLRU)' }],
  },
  reparent_locks: { code: 19, what: "child's and parent's lruvec locks taken", args: [memcg('child'), { col: 'a', means: 'parent' }] },
  reparent_unlocks: {
    code: 20, what: 'lruvec locks dropped (b = 1: the recheck failed, retry)',
    args: [memcg('child'), { col: 'a', means: 'parent' }, { col: 'b', means: '1 when dropped to retry', bool: true, default: false }],
  },
  job_start: { code: 21, what: 'a job instance starts in its cgroup', args: [memcg(), { col: 'a', means: 'cycle' }] },
  job_exit: { code: 22, what: 'the job instance exits', args: [memcg(), { col: 'a', means: 'cycle' }] },
  cycle: { code: 23, what: 'a workload cycle ended', args: [{ col: 'a', means: 'cycle ended' }] },
  limit_set: { code: 24, what: 'memory.max / memory.high written', args: [memcg(), { col: 'a', means: 'limit', values: LIMITS }, { col: 'b', means: 'pages (-1 max)' }] },
  // MGLRU
  age: {
    code: 25, what: 'inc_max_seq, with inc_min_seq first for a type at MAX_NR_GENS',
    args: [memcg(), { col: 'a', means: 'evictable types', flags: { anon: 1, file: 2 } }],
  },
  inc_min_seq: { code: 26, what: 'try_to_inc_min_seq dropping an empty oldest gen', args: [memcg(), { col: 'a', means: 'type', values: { anon: 0, file: 1 } }] },
  gen_update: { code: 27, what: 'page-table walk promotion (folio_update_gen), no list move', args: [folio, { col: 'a', means: 'new gen' }] },
  sort: { code: 28, what: 'sort_folio: lazy move to its gen list, or protection', args: [folio, { col: 'a', means: 'reason', values: SORT_REASONS }] },
  memcg_lru_rotate: { code: 29, what: 'memcg LRU rotation', args: [memcg(), { col: 'a', means: 'op', values: MEMCG_LRU_OPS }, { col: 'b', means: 'bin' }] },
  shadow_reclaim: { code: 30, what: 'the workingset shadow shrinker', args: [{ col: 'a', means: 'number of oldest shadow entries dropped' }] },
  // memcg limits (50-69): memory.events, the charge stock, memory.high throttling, the OOM killer, memory.reclaim
  memcg_memory_event: {
    code: 50, what: 'memcg_memory_event(): memory.events.local of memcg, memory.events of it and its ancestors below the root',
    args: [memcg(), { col: 'a', means: 'event', values: MEMORY_EVENTS }],
  },
  oom_kill: {
    code: 51, what: '__oom_kill_process(): the task of memcg is killed (mark_oom_victim); the oom_reaper frees its anon next',
    args: [memcg('victim'), { col: 'a', means: 'OOM domain: the memcg over its limit, or the root for a global OOM' }],
  },
  memcg_stock: {
    code: 52, what: 'refill_stock() (a > 0: charged to the page counters ahead of use) or drain_stock() (a < 0: uncharged)',
    args: [memcg(), { col: 'a', means: 'pages (signed)' }],
  },
  memcg_over_high: {
    code: 53, what: "current->memcg_nr_pages_over_high of memcg's task: += batch after a charge over memory.high, reset by mem_cgroup_handle_over_high",
    args: [memcg(), { col: 'a', means: 'pages (signed)' }],
  },
  memcg_throttle: {
    code: 54, what: 'mem_cgroup_handle_over_high(): the task slept (schedule_timeout_killable); stamped at wake-up',
    args: [memcg(), { col: 'a', means: 'penalty jiffies (HZ = 1000: ms)' }, { col: 'b', means: 'ticks slept' }],
  },
  memory_reclaim: {
    code: 55, what: 'a write to memory.reclaim (memory_reclaim → user_proactive_reclaim) begins',
    args: [memcg(), { col: 'a', means: 'pages asked for' }, { col: 'b', means: 'swappiness= (-1: none)', default: -1 }],
  },
  memory_reclaim_end: {
    code: 56, what: 'the memory.reclaim write returns',
    args: [memcg(), { col: 'a', means: 'pages reclaimed' }, { col: 'b', means: 'result', values: RECLAIM_RESULTS }],
  },
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

/** What the columns mean for one event type, e.g. `folio, memcg=reclaim target` (the event_types rows). */
export function columnsDoc(name: EventTypeName): string {
  return (CATALOGUE[name].args as readonly Arg[]).map((a) => (a.means ? `${a.col}=${a.means}${enumDoc(a)}` : a.col)).join(', ');
}

function enumDoc(a: Arg): string {
  const e = a.flags ?? a.values;
  return e ? ` (${Object.entries(e).map(([k, v]) => `${v} ${k}`).join(', ')})` : '';
}

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
  ? H extends { default: unknown } ? [ArgType<H>?, ...Params<T>] : [ArgType<H>, ...Params<T>]
  : [];
type Constructors = { readonly [K in EventTypeName as Camel<K>]: (...args: Params<Catalogue[K]['args']>) => Event };

const COLUMNS: readonly Column[] = ['memcg', 'folio', 'a', 'b', 'data'];

/** A constructor storing its arguments in the declared columns (hot path: no per-call lookups). */
function constructor(code: EventCode, args: readonly Arg[]): (...v: (number | boolean | string | undefined)[]) => Event {
  const at = COLUMNS.map((c) => args.findIndex((a) => a.col === c));
  const col = (v: readonly unknown[], k: number, empty: number | null): number | string | null => {
    const i = at[k];
    if (i < 0) return empty;
    const x = v[i] ?? args[i].default;
    return typeof x === 'boolean' ? (x ? 1 : 0) : (x as number | string);
  };
  return (...v) => ev(code, col(v, 0, 0) as number, col(v, 1, 0) as number, col(v, 2, 0) as number, col(v, 3, 0) as number, col(v, 4, null) as string | null);
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Typed constructors: deciders build events through these, so each column's meaning is named once (above). */
export const E = Object.fromEntries(
  Object.entries(CATALOGUE).map(([k, d]) => [camel(k), constructor(d.code as EventCode, d.args)]),
) as unknown as Constructors;
