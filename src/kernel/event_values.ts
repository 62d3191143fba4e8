import { LRU_ACTIVE_ANON, LRU_ACTIVE_FILE, LRU_INACTIVE_ANON, LRU_INACTIVE_FILE, LRU_UNEVICTABLE } from './constants.js';
import { MEMORY_EVENT_NAMES } from './memcg_events.js';
import { MEMCG_LRU_HEAD, MEMCG_LRU_OLD, MEMCG_LRU_TAIL, MEMCG_LRU_YOUNG } from './memcg_lru.js';

// The values event columns take (flags, reasons, enums), named once: the catalogue in events.ts
// documents each column with these maps, and the deciders and evolve use the constants.

export const MACHINE_FLAGS = { mglru: 1, 'objcg charging': 2, interleave: 4 } as const;
export const MACHINE_MGLRU = MACHINE_FLAGS.mglru;
export const MACHINE_OBJCG = MACHINE_FLAGS['objcg charging']; // LRU folios charged through objcgs (the fix)
export const MACHINE_INTERLEAVE = MACHINE_FLAGS.interleave; // folios placed round-robin over the nodes, not on the job's home node

/** charge flags: the folio's flags, and `stocked` when consume_stock() served the charge (the page counters already hold it) */
export const FOLIO_FLAGS = { file: 1, active: 2, workingset: 4, mapped: 8, referenced: 16, stocked: 32, dirty: 64, shmem: 128 } as const;
export const FOLIO_FILE = FOLIO_FLAGS.file;
export const FOLIO_ACTIVE = FOLIO_FLAGS.active;
export const FOLIO_WORKINGSET = FOLIO_FLAGS.workingset;
export const FOLIO_MAPPED = FOLIO_FLAGS.mapped;
export const FOLIO_REFERENCED = FOLIO_FLAGS.referenced;
export const FOLIO_DIRTY = FOLIO_FLAGS.dirty; // written by write(): dirty until the flusher writes it back
export const FOLIO_SHMEM = FOLIO_FLAGS.shmem; // swap-backed page cache (tmpfs, /dev/shm): on the anon LRU, counted as file and shmem
export const CHARGE_STOCKED = FOLIO_FLAGS.stocked;

export const MEMORY_EVENTS = Object.fromEntries(MEMORY_EVENT_NAMES.map((n, i) => [n, i])) as Readonly<Record<string, number>>;

/** memory.reclaim's result: 0, or -EAGAIN after MAX_RECLAIM_RETRIES passes that reclaimed nothing */
export const RECLAIM_RESULTS = { ok: 0, eagain: 1 } as const;
export const RECLAIM_OK = RECLAIM_RESULTS.ok;
export const RECLAIM_EAGAIN = RECLAIM_RESULTS.eagain;

/** activate: MGLRU counts the refault as an activation only inside a fault */
export const REFAULT_FLAGS = { recent: 1, workingset: 2, activate: 4 } as const;
export const REFAULT_RECENT = REFAULT_FLAGS.recent;
export const REFAULT_WORKINGSET = REFAULT_FLAGS.workingset;
export const REFAULT_ACTIVATE = REFAULT_FLAGS.activate;

export const SORT_REASONS = { promoted: 1, protected: 2, 'dirty or writeback': 3 } as const;
export const SORT_PROMOTED = SORT_REASONS.promoted;
export const SORT_PROTECTED = SORT_REASONS.protected;
/** sort_folio(): a dirty file folio or one under writeback: folio_inc_gen(reclaiming) sets PG_reclaim, head of min_seq+1 */
export const SORT_DIRTY = SORT_REASONS['dirty or writeback'];

export const LIMITS = { max: 1, high: 2, min: 3, low: 4 } as const;
export const LIMIT_MAX = LIMITS.max;
export const LIMIT_HIGH = LIMITS.high;
export const LIMIT_MIN = LIMITS.min;
export const LIMIT_LOW = LIMITS.low;

/** Who reclaims: the reclaimer_offset() of the pgscan/pgsteal counters. */
export const RECLAIMERS = { direct: 0, kswapd: 1, proactive: 2 } as const;
export const RECLAIMER_DIRECT = RECLAIMERS.direct;
export const RECLAIMER_KSWAPD = RECLAIMERS.kswapd;
export const RECLAIMER_PROACTIVE = RECLAIMERS.proactive;
/** scan.a = lru list + SCAN_RECLAIMER × reclaimer */
export const SCAN_RECLAIMER = 8;

/** enum lru_list, by name */
export const LRU_LISTS = {
  inactive_anon: LRU_INACTIVE_ANON,
  active_anon: LRU_ACTIVE_ANON,
  inactive_file: LRU_INACTIVE_FILE,
  active_file: LRU_ACTIVE_FILE,
  unevictable: LRU_UNEVICTABLE,
} as const;

/** Every scan.a: the list isolated from and who reclaims, e.g. `inactive_file, kswapd` (MGLRU: the list of the type; active = sorted, pgrefill). */
export const SCAN_LISTS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(RECLAIMERS).flatMap(([who, r]) =>
    Object.entries(LRU_LISTS).map(([list, lru]): [string, number] => [`${list}, ${who}`, lru + SCAN_RECLAIMER * r]),
  ),
);

/** vm sysctls and devices (sysctl event a) */
export const SYSCTLS = {
  'swap pages (swapon)': 1,
  'vm.swappiness': 2,
  'vm.min_free_kbytes': 3,
  'vm.watermark_scale_factor': 4,
  'writeback ticks (dirty_expire)': 5,
  'io ticks': 6,
} as const;
export const SYSCTL_SWAP_PAGES = 1;
export const SYSCTL_SWAPPINESS = 2;
export const SYSCTL_MIN_FREE_KBYTES = 3;
export const SYSCTL_WATERMARK_SCALE_FACTOR = 4;
export const SYSCTL_WRITEBACK_TICKS = 5;
export const SYSCTL_IO_TICKS = 6;

/** Why shrink_folio_list() put an isolated folio back instead of freeing it (putback event a). */
export const PUTBACK_REASONS = {
  'young PTE, first sighting: keep (PG_referenced set)': 1,
  'young PTE, referenced again: activate': 2,
  'dirty file folio: PG_reclaim, activate': 3,
  'under writeback: PG_reclaim, activate': 4,
  'no swap slot: activate': 5,
} as const;
export const PUTBACK_KEEP = 1;
export const PUTBACK_ACTIVATE = 2;
export const PUTBACK_DIRTY = 3;
export const PUTBACK_WRITEBACK = 4;
export const PUTBACK_SWAPFULL = 5;

export const MEMCG_LRU_OPS = { head: MEMCG_LRU_HEAD, tail: MEMCG_LRU_TAIL, old: MEMCG_LRU_OLD, young: MEMCG_LRU_YOUNG } as const;

/**
 * splice.b for MGLRU: SPLICE_MGLRU | child gen | type<<2 | parent gen<<3 | mode<<5 (see
 * encodeSplice); below SPLICE_MGLRU, b is a classic LRU list.
 */
export const SPLICE_MGLRU = 256;
export const SPLICE_SAME_GEN = 0; // list_splice_init onto the parent's same index; flags untouched
export const SPLICE_REWRITE_TAIL = 1; // to the tail of a parent gen, each folio's gen rewritten
export const SPLICE_REWRITE_HEAD = 2; // to the head of a parent gen, each folio's gen rewritten
/** list_splice_tail_init onto the parent's same index, flags untouched: v1/v2 of the series (switch mglru_splice_tail) */
export const SPLICE_SAME_GEN_TAIL = 3;
/**
 * splice.b bit 7, same-gen only: the splice ran v3's lru_gen_reparent_memcg, which left the
 * active/inactive counters alone when lru_gen_is_active differs between child and parent
 * (policyOptions.bug stale-active-stats; Harry Yoo's v3 review, fixed in v4).
 */
export const SPLICE_STALE_ACTIVE_STATS = 128;

/** Tasks beside the workload (machine.concurrency), as events name them. */
export const TASKS = {
  workload: 0,
  'aging walk': 1,
  'kpagecgroup reader': 2,
  'lru activate batch': 3,
  'memcg getter': 4,
  'deferred split': 5,
} as const;
export const TASK_CGROUP_READER = TASKS['kpagecgroup reader'];
export const TASK_LRU_BATCH = TASKS['lru activate batch'];
export const TASK_MEMCG_GETTER = TASKS['memcg getter'];
export const TASK_DEFERRED_SPLIT = TASKS['deferred split'];

/** memcg_get_giveup.b: why a get_mem_cgroup_from_folio() call ended without a memcg (lab-only endings) */
export const MEMCG_GET_GIVEUPS = { 'folio freed meanwhile': 0, 'spin cut by the lab': 1 } as const;

/** gen_update.b: the size change waits in the walk batch (update_batch_size) */
export const GEN_UPDATE_BATCHED = 1;

/**
 * reparent_locks.b: which locks the step takes, in which order (lockSequence() in lock_order.ts
 * lists them). 0 is what every log written before the field existed holds, and what they took.
 */
export const REPARENT_LOCK_ORDERS = {
  'per node (7.1): objcg_lock, child lru_lock/1, parent lru_lock/2': 0,
  'all nodes at once (v1): objcg_lock, then per node child lru_lock/2n, parent lru_lock/2n+1': 1,
} as const;
export const LOCK_ORDER_PER_NODE = 0;
export const LOCK_ORDER_ALL_NODES = 1;

/** The splice modes, by name (splice.b bits 5–6 for MGLRU). */
export const SPLICE_MODES = {
  'same-gen': SPLICE_SAME_GEN,
  'rewrite gens, to the tail': SPLICE_REWRITE_TAIL,
  'rewrite gens, to the head': SPLICE_REWRITE_HEAD,
  'same-gen, to the tail (v1)': SPLICE_SAME_GEN_TAIL,
} as const;

/**
 * Every splice.b the reparent policies write on node 0, named: a classic list, or for MGLRU
 * `gen 1 file → parent gen 3, same-gen` (same-gen keeps the index; the others may pick any gen).
 * On node n the value is this + 4096 × n (reparent.ts SPLICE_NID_UNIT).
 */
export const SPLICE_TARGETS: Readonly<Record<string, number>> = Object.fromEntries([
  ...Object.entries(LRU_LISTS),
  ...Object.entries(SPLICE_MODES).flatMap(([mode, m]) =>
    [0, 1, 2, 3].flatMap((cg) =>
      ['anon', 'file'].flatMap((type, t) =>
        [0, 1, 2, 3]
          .filter((pg) => (m !== SPLICE_SAME_GEN && m !== SPLICE_SAME_GEN_TAIL) || pg === cg)
          .map((pg): [string, number] => [`gen ${cg} ${type} → parent gen ${pg}, ${mode}`, encodeSplice(cg, t, pg, m)]),
      ),
    ),
  ),
]);

export function encodeSplice(childGen: number, type: number, parentGen: number, mode: number): number {
  return SPLICE_MGLRU | childGen | (type << 2) | (parentGen << 3) | (mode << 5);
}

export function decodeSplice(b: number): { childGen: number; type: number; parentGen: number; mode: number; staleStats: boolean } {
  return {
    childGen: b & 3,
    type: (b >> 2) & 1,
    parentGen: (b >> 3) & 3,
    mode: (b >> 5) & 3,
    staleStats: (b & SPLICE_STALE_ACTIVE_STATS) !== 0,
  };
}
