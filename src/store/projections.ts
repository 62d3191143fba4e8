import type Database from 'better-sqlite3';
import { getTableColumns } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Store } from './db.js';
import { insertSample } from './samples.js';
import { memcgs, samples } from './schema.js';

export type MemcgRow = typeof memcgs.$inferInsert;
export type SampleRow = typeof samples.$inferInsert;

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

/** SELECT every column of a per-run table under its schema key, so rows compare with what drizzle would insert. */
function selectAll(table: SQLiteTable, name: string, order: string): string {
  const cols = Object.entries(getTableColumns(table)).map(([key, c]) => `"${c.name}" AS "${key}"`);
  return `SELECT ${cols.join(', ')} FROM ${name} WHERE run = ? ORDER BY ${order}`;
}

/** A run's stored `memcgs` rows, by id. */
export function storedMemcgRows(store: Store, run: number): IterableIterator<MemcgRow> {
  return store.sqlite.prepare(selectAll(memcgs, 'memcgs', 'id')).iterate(run) as IterableIterator<MemcgRow>;
}

/** A run's stored `samples` rows, by seq. */
export function storedSampleRows(store: Store, run: number): IterableIterator<SampleRow> {
  return store.sqlite.prepare(selectAll(samples, 'samples', 'seq')).iterate(run) as IterableIterator<SampleRow>;
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
