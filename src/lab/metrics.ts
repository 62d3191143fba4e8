import { PAGE_SIZE, ROOT_MEMCG } from '../kernel/constants.js';
import { MEMCG_HIGH, MEMCG_LOW, MEMCG_MAX, MEMCG_OOM, MEMCG_OOM_KILL } from '../kernel/memcg_events.js';
import { Stat } from '../kernel/stat.js';
import { type KernelState, MEMCG_DYING } from '../kernel/state.js';
import { METRIC_TYPES } from '../store/metric_types.js';

/** The metric vocabulary shared by samples, `run --json`, compare and reports (DESIGN §7). */
export interface Metrics {
  nr_dying: number; // nr_dying_descendants at the root
  dying_bytes: number; // nr_dying × the bytes of one dying memcg (the sum of its parts, or machine.memcgSize)
  stale_pages: number; // pages still owned by dying memcgs
  memory_current: number; // bytes charged machine-wide
  pgscan: number;
  pgsteal: number;
  reclaim_efficiency: number | null; // pgsteal / pgscan; null before any scan
  workingset_refault_file: number;
  refault_rate: number | null; // evicted pages read back (any shadow hit) per reclaimed page
  lruvecs_scanned: number;
  reclaims: number;
  eviction_inversion: number | null; // mean share of same-type resident folios last accessed before each victim
  reparent_splices: number;
  reparent_folios_walked: number; // folios touched under the lruvec locks while reparenting
  reparent_retries: number;
  // memory.events, machine-wide: each memcg_memory_event() counted once, on the memcg it was raised on
  low_events: number; // reclaim of a memcg below memory.low
  high_events: number; // reclaim_high() passes over memory.high
  max_events: number; // try_charge_memcg() passes that failed at memory.max
  oom_events: number; // memcg OOMs (mem_cgroup_oom)
  oom_kill: number; // tasks the OOM killer killed (memcg and global OOMs)
  throttle_ticks: number; // ticks tasks slept off memory.high penalties
}

export const METRIC_NAMES: (keyof Metrics)[] = [
  'nr_dying',
  'dying_bytes',
  'stale_pages',
  'memory_current',
  'pgscan',
  'pgsteal',
  'reclaim_efficiency',
  'workingset_refault_file',
  'refault_rate',
  'lruvecs_scanned',
  'reclaims',
  'eviction_inversion',
  'reparent_splices',
  'reparent_folios_walked',
  'reparent_retries',
  'low_events',
  'high_events',
  'max_events',
  'oom_events',
  'oom_kill',
  'throttle_ticks',
];

/**
 * Metrics that only grow over a run (counters since the start); the others are levels (nr_dying,
 * dying_bytes, stale_pages, memory_current) or ratios over the whole run so far. Derived from
 * store/metric_types.ts, which the metric_types table is written from.
 */
export const CUMULATIVE_METRICS: readonly (keyof Metrics)[] = METRIC_NAMES.filter((n) => METRIC_TYPES[n].kind === 'counter');

/** Sum of a counter over every memcg, live or folded into a live ancestor when freed. */
export function totalStat(s: Readonly<KernelState>, item: number): number {
  let sum = 0;
  for (const m of s.memcgs.values()) sum += m.stat[item];
  return sum;
}

export function computeMetrics(s: Readonly<KernelState>, memcgSize: number): Metrics {
  const root = s.memcgs.get(ROOT_MEMCG)!;
  let stale = 0;
  for (const m of s.memcgs.values()) {
    if (m.state === MEMCG_DYING) stale += m.stat[Stat.anon] + m.stat[Stat.file];
  }
  const pgscan = totalStat(s, Stat.pgscan);
  const pgsteal = totalStat(s, Stat.pgsteal);
  const refaults = totalStat(s, Stat.workingset_refault_file);
  return {
    nr_dying: root.nrDyingDescendants,
    dying_bytes: root.nrDyingDescendants * memcgSize,
    stale_pages: stale,
    memory_current: root.memory * PAGE_SIZE,
    pgscan,
    pgsteal,
    reclaim_efficiency: pgscan ? round(pgsteal / pgscan) : null,
    workingset_refault_file: refaults,
    refault_rate: pgsteal ? round(s.lab.shadowHits / pgsteal) : null,
    lruvecs_scanned: s.lruvecsScanned,
    reclaims: s.reclaims,
    eviction_inversion: s.lab.inversionCount ? round(s.lab.inversionSum / s.lab.inversionCount) : null,
    reparent_splices: s.lab.reparentSplices,
    reparent_folios_walked: s.lab.reparentFoliosWalked,
    reparent_retries: s.lab.reparentRetries,
    low_events: s.lab.memoryEvents[MEMCG_LOW],
    high_events: s.lab.memoryEvents[MEMCG_HIGH],
    max_events: s.lab.memoryEvents[MEMCG_MAX],
    oom_events: s.lab.memoryEvents[MEMCG_OOM],
    oom_kill: s.lab.memoryEvents[MEMCG_OOM_KILL],
    throttle_ticks: s.lab.throttleTicks,
  };
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
