import type Database from 'better-sqlite3';
import type { Store } from './db.js';
import { asObject } from './rows.js';
import { insertSample, type SampleRow } from './samples.js';
import type { cycles, evictions, memcgs, refaults, splices } from './schema.js';

export type MemcgRow = typeof memcgs.$inferInsert;
export type { SampleRow } from './samples.js';
export type CycleRow = typeof cycles.$inferInsert;
export type EvictionRow = typeof evictions.$inferInsert;
export type RefaultRow = typeof refaults.$inferInsert;
export type SpliceRow = typeof splices.$inferInsert;

/** The projections with a row per event of one type, keyed (run, seq) by that event; their columns are named as in SQL. */
export interface LogRows {
  cycles: CycleRow;
  evictions: EvictionRow;
  refaults: RefaultRow;
  splices: SpliceRow;
}
export type LogTable = keyof LogRows;
export const LOG_TABLES: readonly LogTable[] = ['cycles', 'evictions', 'refaults', 'splices'];

/** Every per-run projection table (rebuild clears them, verify compares them). */
export const PROJECTION_TABLES = ['memcgs', 'samples', ...LOG_TABLES] as const;

/**
 * Where a run's projections go as the log is folded: the store (running, resuming, rebuild) or
 * memory (verify compares them with the stored rows).
 */
export interface ProjectionSink {
  memcgCreated(row: MemcgRow): void;
  memcgOffline(run: number, id: number, seq: number, tick: number): void;
  memcgFreed(run: number, id: number, seq: number, tick: number): void;
  sample(row: SampleRow): void;
  row<T extends LogTable>(table: T, row: LogRows[T]): void;
}

/** The projection tables as a sink. */
export class StoreProjectionSink implements ProjectionSink {
  private readonly ins: Database.Statement;
  private readonly off: Database.Statement;
  private readonly free: Database.Statement;
  private readonly put = new Map<LogTable, (row: object) => void>();

  constructor(private readonly store: Store) {
    this.ins = store.sqlite.prepare('INSERT INTO memcgs (run, id, path, parent, created_seq, created_tick) VALUES (?, ?, ?, ?, ?, ?)');
    this.off = store.sqlite.prepare('UPDATE memcgs SET offline_seq = ?, offline_tick = ? WHERE run = ? AND id = ?');
    this.free = store.sqlite.prepare('UPDATE memcgs SET freed_seq = ?, freed_tick = ? WHERE run = ? AND id = ?');
    // the columns from the table itself (the schema module would load drizzle): one prepared INSERT
    // each (values bound by position: 20 % cheaper than by name, measured)
    for (const t of LOG_TABLES) {
      const cols = store.sqlite.prepare(`SELECT name FROM pragma_table_info('${t}')`).pluck().all() as string[];
      const st = store.sqlite.prepare(`INSERT INTO ${t} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
      this.put.set(t, (row) => st.run(cols.map((c) => (row as Record<string, unknown>)[c] ?? null)));
    }
  }

  memcgCreated(r: MemcgRow): void {
    this.ins.run(r.run, r.id, r.path, r.parent, r.createdSeq, r.createdTick);
  }

  memcgOffline(run: number, id: number, seq: number, tick: number): void {
    this.off.run(seq, tick, run, id);
  }

  memcgFreed(run: number, id: number, seq: number, tick: number): void {
    this.free.run(seq, tick, run, id);
  }

  sample(row: SampleRow): void {
    insertSample(this.store, row);
  }

  row<T extends LogTable>(table: T, row: LogRows[T]): void {
    this.put.get(table)!(row);
  }
}

/** Every column of a per-run table's rows, under the schema's keys, so they compare with the objects the projection writes. */
function* selectAll<T>(store: Store, table: string, order: string, run: number): Generator<T, void, undefined> {
  for (const r of store.sqlite.prepare(`SELECT * FROM ${table} WHERE run = ? ORDER BY ${order}`).iterate(run)) {
    yield asObject<T>(r as Record<string, unknown>)!;
  }
}

/** A run's stored `memcgs` rows, by id. */
export function storedMemcgRows(store: Store, run: number): Generator<MemcgRow, void, undefined> {
  return selectAll<MemcgRow>(store, 'memcgs', 'id', run);
}

/** A run's stored rows of a seq-keyed projection (samples, cycles, evictions, …), by seq, under their column names. */
export function* storedSeqRows(
  store: Store,
  table: 'samples' | LogTable,
  run: number,
): Generator<Record<string, unknown>, void, undefined> {
  for (const r of store.sqlite.prepare(`SELECT * FROM ${table} WHERE run = ? ORDER BY seq`).iterate(run))
    yield r as Record<string, unknown>;
}

/** Memcgs of a run freed at or before `seq`, from the projection. */
export function freedMemcgs(store: Store, run: number, seq: number): { id: number; path: string }[] {
  return store.sqlite
    .prepare('SELECT id, path FROM memcgs WHERE run = ? AND freed_seq IS NOT NULL AND freed_seq <= ? ORDER BY id')
    .all(run, seq) as { id: number; path: string }[];
}

/** Forget a run's projections, to rebuild them from its log. */
export function clearProjections(store: Store, run: number): void {
  for (const t of PROJECTION_TABLES) store.sqlite.prepare(`DELETE FROM ${t} WHERE run = ?`).run(run);
}

/** Rows a run has in each projection. */
export function projectionCounts(store: Store, run: number): Record<(typeof PROJECTION_TABLES)[number], number> {
  const count = (t: string) => store.sqlite.prepare(`SELECT count(*) FROM ${t} WHERE run = ?`).pluck().get(run) as number;
  return Object.fromEntries(PROJECTION_TABLES.map((t) => [t, count(t)])) as Record<(typeof PROJECTION_TABLES)[number], number>;
}

/** A folio's charge event, as the evictions and refaults projections need it. */
export interface ChargeRecord {
  memcg: number;
  seq: number;
  flags: number;
  key: number;
}

/**
 * The charge events of `folios` (live at a snapshot at `seq`): one pass over the run's log up to
 * the snapshot (the log has no index by folio, which would cost every append): resume pays it once.
 */
export function chargesBefore(
  store: Store,
  run: number,
  seq: number,
  folios: ReadonlySet<number>,
  chargeType: number,
): Map<number, ChargeRecord> {
  const out = new Map<number, ChargeRecord>();
  if (!folios.size) return out;
  let min = Number.POSITIVE_INFINITY;
  for (const f of folios) if (f < min) min = f;
  const rows = store.sqlite
    .prepare('SELECT folio, memcg, seq, a, b FROM events WHERE run = ? AND seq <= ? AND type = ? AND folio >= ?')
    .raw(true)
    .iterate(run, seq, chargeType, min) as IterableIterator<[number, number, number, number, number]>;
  for (const [folio, memcg, s, a, b] of rows) if (folios.has(folio)) out.set(folio, { memcg, seq: s, flags: a, key: b });
  return out;
}

/** The run's ended cycles at or before `seq` (the `cycles` rows): the seq of each one's cycle event, in order. */
export function cycleEnds(store: Store, run: number, seq: number): { seq: number; cycle: number }[] {
  return store.sqlite.prepare('SELECT seq, cycle FROM cycles WHERE run = ? AND seq <= ? ORDER BY seq').all(run, seq) as {
    seq: number;
    cycle: number;
  }[];
}
