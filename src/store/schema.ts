import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, real, sqliteTable, sqliteView, text } from 'drizzle-orm/sqlite-core';

/** One row per experiment run. */
export const runs = sqliteTable('runs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  experiment: text('experiment').notNull(), // the resolved experiment, JSON
  policy: text('policy').notNull(),
  lru: text('lru').notNull(),
  seed: integer('seed').notNull(),
  status: text('status', { enum: ['running', 'done', 'failed', 'interrupted'] }).notNull(),
  error: text('error'),
  startedAt: text('started_at').notNull(), // wall clock: bookkeeping only, never read by the core
  finishedAt: text('finished_at'),
  events: integer('events').notNull().default(0),
  cycles: integer('cycles').notNull().default(0),
  stateHash: text('state_hash'),
  metrics: text('metrics'), // final metrics, JSON
  schemaVersion: integer('schema_version').notNull(), // event catalogue version of this log
  codeVersion: text('code_version').notNull(),
  // The writer's lease while running (bookkeeping, never read by the core): who holds the run
  // (host, boot id, pid and the pid's start time, so a reused pid is not mistaken for the holder)
  // and when it last renewed. A lease older than lease_ms is expired: the run is interrupted.
  pid: integer('pid'),
  host: text('host'),
  bootId: text('boot_id'),
  holderStart: integer('holder_start'),
  heartbeat: integer('heartbeat'), // ms since the epoch
  leaseMs: integer('lease_ms'),
  sweep: integer('sweep'), // the sweep this run belongs to (sweeps.id), null for a lone run
  sweepCell: integer('sweep_cell'), // its cell in the sweep's matrix, in expansion order
  // A label, like run_tags: the user's words about the run, outside the hash chain (not its record)
  note: text('note'),
});

/**
 * A run's tags (`run --tag key=value`): labels to find runs by, outside the hash chain (they say
 * what the run is for, not what it did). One value per key.
 */
export const runTags = sqliteTable(
  'run_tags',
  {
    run: integer('run').notNull(),
    key: text('key').notNull(),
    value: text('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.run, t.key] }), index('run_tags_key').on(t.key, t.value)],
);

/** One row per sweep: the experiment and the matrix (policies × seeds × --set values) its runs cover. */
export const sweeps = sqliteTable('sweeps', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  experiment: text('experiment').notNull(), // the experiment file's path, as given
  matrix: text('matrix').notNull(), // { base, policies, seeds, sets: [{ path, values }] }, JSON
  created: text('created').notNull(), // wall clock: bookkeeping only
  note: text('note'), // `sweep --note`, also given to each run it makes
});

/** A sweep's tags (`sweep --tag key=value`): each of its runs gets them too (run_tags). */
export const sweepTags = sqliteTable(
  'sweep_tags',
  {
    sweep: integer('sweep').notNull(),
    key: text('key').notNull(),
    value: text('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sweep, t.key] })],
);

/**
 * The event log. Integer columns only on the hot path; `data` for rare wide events.
 * The migration creates it WITHOUT ROWID (drizzle has no option for it): (run, seq) is the
 * clustered key, so a row costs its values and nothing more.
 */
export const events = sqliteTable(
  'events',
  {
    run: integer('run').notNull(),
    seq: integer('seq').notNull(),
    tick: integer('tick').notNull(),
    type: integer('type').notNull(),
    memcg: integer('memcg').notNull(),
    folio: integer('folio').notNull(),
    a: integer('a').notNull(),
    b: integer('b').notNull(),
    data: text('data'),
  },
  (t) => [primaryKey({ columns: [t.run, t.seq] })],
);

/** The event catalogue (kernel/events.ts CATALOGUE), rewritten at every writable open. */
export const eventTypes = sqliteTable('event_types', {
  code: integer('code').primaryKey(),
  name: text('name').notNull().unique(),
  columns: text('columns').notNull(), // what memcg/folio/a/b/data mean for this type
  what: text('what').notNull().default(''), // what happened, in kernel terms
});

/**
 * The values the enum and flag columns of the log take, one row per value: the catalogue's
 * maps (kernel/event_values.ts), rewritten at every writable open so they never drift from the
 * code. `kind` value: the column holds one of them; flag: a bit, the column ORs them.
 */
export const eventEnums = sqliteTable(
  'event_enums',
  {
    code: integer('code').notNull(), // event_types.code
    event: text('event').notNull(), // event_types.name
    col: text('col').notNull(), // memcg, folio, a or b
    value: integer('value').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['value', 'flag'] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.code, t.col, t.value] })],
);

/**
 * What each metric column of `samples` holds (store/metric_types.ts), rewritten at every
 * writable open: a gauge is the level at the sample point; a counter counts since the run began
 * (subtract the previous sample for an interval: the samples_delta view does); a ratio is of two
 * counters since the run began.
 */
export const metricTypes = sqliteTable('metric_types', {
  name: text('name').primaryKey(),
  kind: text('kind', { enum: ['gauge', 'counter', 'ratio'] }).notNull(),
  unit: text('unit').notNull(),
  what: text('what').notNull(),
});

/**
 * Metrics over time, one row per sample point (every `sampleEvery` cycles): a column per metric of
 * the vocabulary (src/lab/metrics.ts METRIC_NAMES), keyed by its name. Columns added after the
 * first release are nullable: rows an older version wrote have NULL there (not measured).
 */
export const samples = sqliteTable(
  'samples',
  {
    run: integer('run').notNull(),
    seq: integer('seq').notNull(),
    tick: integer('tick').notNull(),
    cycle: integer('cycle').notNull(),
    nr_dying: integer('nr_dying').notNull(),
    dying_bytes: integer('dying_bytes').notNull(),
    stale_pages: integer('stale_pages').notNull(),
    memory_current: integer('memory_current').notNull(),
    pgscan: integer('pgscan').notNull(),
    pgsteal: integer('pgsteal').notNull(),
    reclaim_efficiency: real('reclaim_efficiency'),
    workingset_refault_file: integer('workingset_refault_file').notNull(),
    refault_rate: real('refault_rate'),
    lruvecs_scanned: integer('lruvecs_scanned').notNull(),
    reclaims: integer('reclaims'),
    eviction_inversion: real('eviction_inversion'),
    reparent_splices: integer('reparent_splices'),
    reparent_folios_walked: integer('reparent_folios_walked'),
    reparent_retries: integer('reparent_retries'),
    low_events: integer('low_events'),
    high_events: integer('high_events'),
    max_events: integer('max_events'),
    oom_events: integer('oom_events'),
    oom_kill: integer('oom_kill'),
    throttle_ticks: integer('throttle_ticks'),
  },
  (t) => [primaryKey({ columns: [t.run, t.seq] })],
);

/** Projection: one row per memcg of a run — when it was created, went offline, was freed. */
export const memcgs = sqliteTable(
  'memcgs',
  {
    run: integer('run').notNull(),
    id: integer('id').notNull(),
    path: text('path').notNull(),
    parent: integer('parent').notNull(),
    createdSeq: integer('created_seq').notNull(),
    createdTick: integer('created_tick').notNull(),
    offlineSeq: integer('offline_seq'),
    offlineTick: integer('offline_tick'),
    freedSeq: integer('freed_seq'),
    freedTick: integer('freed_tick'),
  },
  (t) => [
    primaryKey({ columns: [t.run, t.id] }),
    index('memcgs_path').on(t.run, t.path),
    index('memcgs_offline').on(t.run, t.offlineSeq), // which memcg went offline last before a seq
  ],
);

/*
 * Projections of the log for the questions asked of it most (experiments/cookbook.sql): a row per
 * event of one type, keyed by that event's seq, with what a query would otherwise have to replay
 * or join for (the cycle, the folio's charge, splice.b decoded). Written by lab/projections.ts as
 * the log is appended (a row for ~2 events in 100; partial indexes on events instead cost the
 * appender 20 % of its rate, these rows 12 %), regenerated by rebuild and compared by verify.
 * Columns are named as in SQL, as samples' are.
 */

/** Projection: one row per ended cycle, at its `cycle` event: the seq range of the cycle. */
export const cycles = sqliteTable(
  'cycles',
  {
    run: integer('run').notNull(),
    seq: integer('seq').notNull(), // the cycle event: the cycle's last event
    tick: integer('tick').notNull(),
    cycle: integer('cycle').notNull(),
    first_seq: integer('first_seq').notNull(), // the event after the previous cycle's (1 for the first)
  },
  (t) => [primaryKey({ columns: [t.run, t.seq] }), index('cycles_cycle').on(t.run, t.cycle)],
);

/** Projection: one row per evict event, with the evicted folio's owner and charge. */
export const evictions = sqliteTable(
  'evictions',
  {
    run: integer('run').notNull(),
    seq: integer('seq').notNull(),
    tick: integer('tick').notNull(),
    cycle: integer('cycle').notNull(), // the cycle the eviction happened in
    folio: integer('folio').notNull(),
    owner: integer('owner'), // folio_memcg() when evicted (evict.b): after a reparent, the ancestor; NULL in older logs
    target: integer('target').notNull(), // the memcg reclaim was aimed at
    reclaimer: text('reclaimer').notNull(), // direct, kswapd or proactive
    charged: integer('charged').notNull(), // the memcg the folio was charged to (its charge event)
    charged_seq: integer('charged_seq').notNull(),
    charged_cycle: integer('charged_cycle').notNull(),
    file: integer('file').notNull(), // 1: page cache, 0: anon
    inode: integer('inode'), // file folios: the page-cache key
    idx: integer('idx'),
    nid: integer('nid').notNull(), // the folio's node
  },
  (t) => [primaryKey({ columns: [t.run, t.seq] })],
);

/** Projection: one row per refault event: the new folio, its page, and the refault flags decoded. */
export const refaults = sqliteTable(
  'refaults',
  {
    run: integer('run').notNull(),
    seq: integer('seq').notNull(),
    tick: integer('tick').notNull(),
    cycle: integer('cycle').notNull(),
    folio: integer('folio').notNull(), // the new folio (charged by the event before)
    memcg: integer('memcg').notNull(), // the memcg it is charged to
    shadow_memcg: integer('shadow_memcg').notNull(), // the memcg the shadow entry named
    recent: integer('recent').notNull(), // 1: within the workingset size (workingset_activate)
    workingset: integer('workingset').notNull(), // 1: it was in the workingset when evicted
    activate: integer('activate').notNull(), // 1: counted as an activation (MGLRU: only inside a fault)
    refs: integer('refs').notNull(), // MGLRU: the refs the shadow carried
    file: integer('file').notNull(),
    inode: integer('inode'),
    idx: integer('idx'),
    nid: integer('nid').notNull(),
  },
  (t) => [primaryKey({ columns: [t.run, t.seq] })],
);

/** Projection: one row per splice event (a list moved to the parent at reparent), splice.b decoded (the node, the list or gens, the mode). */
export const splices = sqliteTable(
  'splices',
  {
    run: integer('run').notNull(),
    seq: integer('seq').notNull(),
    tick: integer('tick').notNull(),
    child: integer('child').notNull(),
    parent: integer('parent').notNull(),
    what: text('what').notNull(), // the list, or e.g. "gen 1 file → parent gen 1, same-gen"
    lru: integer('lru'), // classic: enum lru_list
    child_gen: integer('child_gen'), // MGLRU: the child's gen index, its type, the parent gen, the mode
    type: integer('type'),
    parent_gen: integer('parent_gen'),
    mode: integer('mode'),
    nid: integer('nid').notNull(), // the node whose lists moved
  },
  (t) => [primaryKey({ columns: [t.run, t.seq] })],
);

/** Full kernel state every `snapshotEvery` events, so "state at seq S" costs O(interval). */
export const snapshots = sqliteTable(
  'snapshots',
  {
    run: integer('run').notNull(),
    seq: integer('seq').notNull(),
    tick: integer('tick').notNull(),
    cycle: integer('cycle').notNull(),
    state: blob('state', { mode: 'buffer' }).notNull(),
    lab: text('lab').notNull(), // runner state needed to resume (PRNG, workload cursor), JSON
    stateHash: text('state_hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.run, t.seq] })],
);

/**
 * The hash chain over a run's record (tamper evidence). Row seq 0 is the genesis: `data` holds the
 * run's identity (name, experiment, policy, lru, seed, schema and code version). Every later row
 * sits at a snapshot's seq: `events` is the sha256 of the run's event rows since the previous row,
 * `data` what else became durable there (the snapshot's tick, cycle, state hash and runner-state
 * hash; at the end, the run's final status, counts, hash and metrics), and
 * `digest = sha256(previous digest, seq, events, data)`.
 */
export const chain = sqliteTable(
  'chain',
  {
    run: integer('run').notNull(),
    seq: integer('seq').notNull(),
    events: text('events').notNull(),
    data: text('data').notNull(),
    digest: text('digest').notNull(),
  },
  (t) => [primaryKey({ columns: [t.run, t.seq] })],
);

/** Events with their type names, for SQL users. */
export const eventsView = sqliteView('events_v').as((qb) =>
  qb
    .select({
      run: events.run,
      seq: events.seq,
      tick: events.tick,
      type: eventTypes.name,
      memcg: events.memcg,
      folio: events.folio,
      a: events.a,
      b: events.b,
      data: events.data,
    })
    .from(events)
    .innerJoin(eventTypes, sql`${eventTypes.code} = ${events.type}`),
);
