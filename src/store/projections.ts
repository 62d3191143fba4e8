import type Database from 'better-sqlite3';
import type { Store } from './db.js';
import { asObject } from './rows.js';
import { insertSample, type SampleRow } from './samples.js';
import type { memcgs } from './schema.js';

export type MemcgRow = typeof memcgs.$inferInsert;
export type { SampleRow } from './samples.js';

/**
 * Where a run's projections go as the log is folded: the store (running, resuming, rebuild) or
 * memory (verify compares them with the stored rows).
 */
export interface ProjectionSink {
  memcgCreated(row: MemcgRow): void;
  memcgOffline(run: number, id: number, seq: number, tick: number): void;
  memcgFreed(run: number, id: number, seq: number, tick: number): void;
  sample(row: SampleRow): void;
}

/** The `memcgs` and `samples` tables as a projection sink. */
export class StoreProjectionSink implements ProjectionSink {
  private readonly ins: Database.Statement;
  private readonly off: Database.Statement;
  private readonly free: Database.Statement;

  constructor(private readonly store: Store) {
    this.ins = store.sqlite.prepare('INSERT INTO memcgs (run, id, path, parent, created_seq, created_tick) VALUES (?, ?, ?, ?, ?, ?)');
    this.off = store.sqlite.prepare('UPDATE memcgs SET offline_seq = ?, offline_tick = ? WHERE run = ? AND id = ?');
    this.free = store.sqlite.prepare('UPDATE memcgs SET freed_seq = ?, freed_tick = ? WHERE run = ? AND id = ?');
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

/** A run's stored `samples` rows, by seq: their keys are the metric names, which are the column names. */
export function* storedSampleRows(store: Store, run: number): Generator<SampleRow, void, undefined> {
  for (const r of store.sqlite.prepare('SELECT * FROM samples WHERE run = ? ORDER BY seq').iterate(run)) yield r as SampleRow;
}

/** Memcgs of a run freed at or before `seq`, from the projection. */
export function freedMemcgs(store: Store, run: number, seq: number): { id: number; path: string }[] {
  return store.sqlite
    .prepare('SELECT id, path FROM memcgs WHERE run = ? AND freed_seq IS NOT NULL AND freed_seq <= ? ORDER BY id')
    .all(run, seq) as { id: number; path: string }[];
}

/** Forget a run's projections (`memcgs`, `samples`), to rebuild them from its log. */
export function clearProjections(store: Store, run: number): void {
  store.sqlite.prepare('DELETE FROM memcgs WHERE run = ?').run(run);
  store.sqlite.prepare('DELETE FROM samples WHERE run = ?').run(run);
}

/** Rows a run has in each projection. */
export function projectionCounts(store: Store, run: number): { memcgs: number; samples: number } {
  const count = (t: string) => store.sqlite.prepare(`SELECT count(*) FROM ${t} WHERE run = ?`).pluck().get(run) as number;
  return { memcgs: count('memcgs'), samples: count('samples') };
}
