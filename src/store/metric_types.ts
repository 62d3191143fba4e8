import type { samples } from './schema.js';

/** A metric column of `samples` (every column but the key and the point). */
export type MetricColumn = Exclude<keyof typeof samples.$inferSelect, 'run' | 'seq' | 'tick' | 'cycle'>;

export interface MetricType {
  /**
   * gauge: the level at the sample point. counter: counted since the run began (an interval's
   * value is the difference between two samples). ratio: of two counters since the run began.
   */
  kind: 'gauge' | 'counter' | 'ratio';
  unit: string;
  what: string;
}

/**
 * What each samples column holds: the rows of the `metric_types` table (written at every writable
 * open), the README's table and the samples_delta view's choice of columns. Keyed by the schema's
 * columns, so a new column does not compile until it is described here.
 */
export const METRIC_TYPES: Readonly<Record<MetricColumn, MetricType>> = {
  nr_dying: { kind: 'gauge', unit: 'memcgs', what: 'cgroup.stat nr_dying_descendants of the root: memcgs offline and not yet freed' },
  dying_bytes: {
    kind: 'gauge',
    unit: 'bytes',
    what: 'nr_dying × the bytes of one dying memcg (the sum of its parts, kernel/memcg_size.ts; or machine.memcgSize): memory the dying memcgs hold',
  },
  stale_pages: { kind: 'gauge', unit: 'pages', what: 'pages (anon + file) charged to dying memcgs' },
  memory_current: { kind: 'gauge', unit: 'bytes', what: 'memory.current of the root: every charged page' },
  pgscan: { kind: 'counter', unit: 'pages', what: 'pages isolated from inactive lists by reclaim (memory.stat pgscan, all memcgs)' },
  pgsteal: { kind: 'counter', unit: 'pages', what: 'pages reclaimed (memory.stat pgsteal, all memcgs): one per evict event' },
  reclaim_efficiency: { kind: 'ratio', unit: 'ratio', what: 'pgsteal / pgscan since the run began (NULL before any scan)' },
  workingset_refault_file: {
    kind: 'counter',
    unit: 'pages',
    what: 'file refaults (memory.stat workingset_refault_file, all memcgs): refault events of file folios',
  },
  refault_rate: {
    kind: 'ratio',
    unit: 'ratio',
    what: 'evicted pages read back (any shadow entry hit) / pgsteal since the run began (NULL before any eviction)',
  },
  lruvecs_scanned: { kind: 'counter', unit: 'lruvecs', what: 'lruvecs visited by reclaim passes (reclaim_end.a summed)' },
  reclaims: { kind: 'counter', unit: 'passes', what: 'reclaim passes begun (reclaim_begin events)' },
  eviction_inversion: {
    kind: 'ratio',
    unit: 'share',
    what: 'running mean, over (a sample of) evictions since the run began, of the share of resident same-type folios in the victim lruvec last accessed before the victim (0: LRU order kept)',
  },
  reparent_splices: { kind: 'counter', unit: 'lists', what: 'LRU lists spliced to a parent at reparent (splice events)' },
  reparent_folios_walked: { kind: 'counter', unit: 'folios', what: 'folios touched one by one under the lruvec locks while reparenting' },
  reparent_retries: { kind: 'counter', unit: 'retries', what: 'reparent lock rounds dropped to retry (reparent_unlocks with b = 1)' },
  low_events: { kind: 'counter', unit: 'events', what: 'memory.events low, machine-wide: reclaim of a memcg below memory.low' },
  high_events: { kind: 'counter', unit: 'events', what: 'memory.events high, machine-wide: reclaim_high() passes over memory.high' },
  max_events: {
    kind: 'counter',
    unit: 'events',
    what: 'memory.events max, machine-wide: try_charge_memcg() passes that failed at memory.max',
  },
  oom_events: { kind: 'counter', unit: 'events', what: 'memory.events oom, machine-wide: memcg OOMs' },
  oom_kill: { kind: 'counter', unit: 'tasks', what: 'memory.events oom_kill, machine-wide: tasks the OOM killer killed' },
  throttle_ticks: { kind: 'counter', unit: 'ticks', what: 'ticks tasks slept off memory.high penalties' },
};
