import { asc, eq, inArray } from 'drizzle-orm';
import type { Store } from './db.js';
import type { RunRow } from './runs.js';
import { runs, sweeps } from './schema.js';
import { truncateRunAfter } from './truncate.js';

export type SweepRow = typeof sweeps.$inferSelect;

export function insertSweep(store: Store, row: Omit<SweepRow, 'id'>): number {
  return store.db.insert(sweeps).values(row).returning({ id: sweeps.id }).get().id;
}

export function findSweep(store: Store, id: number): SweepRow | undefined {
  return store.db.select().from(sweeps).where(eq(sweeps.id, id)).get();
}

/** The runs of a sweep, in matrix order. */
export function sweepRuns(store: Store, id: number): RunRow[] {
  return store.db.select().from(runs).where(eq(runs.sweep, id)).orderBy(asc(runs.sweepCell), asc(runs.id)).all();
}

/** Runs by id, in the order asked. */
export function runsByIds(store: Store, ids: number[]): RunRow[] {
  const rows = store.db.select().from(runs).where(inArray(runs.id, ids)).all();
  const by = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => by.get(id) ?? []);
}

/** Insert a run row keeping its id (a shard database holds the copy of one main-database run). */
export function insertRunRow(store: Store, row: RunRow): void {
  store.db.insert(runs).values(row).run();
}

/** How long a writer waits for the write lock before SQLITE_BUSY (sweep workers share one file). */
export function setBusyTimeout(store: Store, ms: number): void {
  store.sqlite.pragma(`busy_timeout = ${Math.floor(ms)}`);
}

/**
 * Whether commits wait for the disk. Off for a sweep's shard files: a killed process loses
 * nothing (WAL), only a crash of the machine can, and the sweep then reruns that run.
 */
export function setSynchronous(store: Store, on: boolean): void {
  store.sqlite.pragma(`synchronous = ${on ? 'NORMAL' : 'OFF'}`);
}

/** Whether a run has written any event to this database. */
export function runHasEvents(store: Store, runId: number): boolean {
  return store.sqlite.prepare('SELECT 1 FROM events WHERE run = ? LIMIT 1').get(runId) !== undefined;
}

/** Tables that hold a run's log and projections, moved as a whole from a shard. */
const RUN_TABLES = ['events', 'snapshots', 'samples', 'memcgs'] as const;

/**
 * Move a finished run from a shard database (where a sweep worker wrote it without holding the
 * main database's write lock) into the main database, in one transaction: its events,
 * snapshots, samples and memcgs rows, and the run row's results. Whatever the main database
 * held for the run beyond its row is replaced. Columns are read from the main tables, so metric
 * columns added to `samples` by later migrations move too.
 */
export function moveRunFromShard(store: Store, shardPath: string, runId: number): void {
  const db = store.sqlite;
  db.prepare('ATTACH DATABASE ? AS shard').run(shardPath);
  try {
    const cols = (t: string) =>
      (db.prepare(`SELECT name FROM pragma_table_info('${t}')`).pluck().all() as string[]).map((c) => `"${c}"`).join(', ');
    const copy = RUN_TABLES.map((t) => db.prepare(`INSERT INTO main.${t} (${cols(t)}) SELECT ${cols(t)} FROM shard.${t} WHERE run = ?`));
    const fin = db.prepare(
      'UPDATE main.runs SET (status, error, finished_at, events, cycles, state_hash, metrics, pid) = ' +
        '(SELECT status, error, finished_at, events, cycles, state_hash, metrics, NULL FROM shard.runs WHERE id = ?) WHERE id = ?',
    );
    db.transaction(() => {
      truncateRunAfter(store, runId, 0);
      db.prepare('DELETE FROM memcgs WHERE run = ?').run(runId);
      for (const s of copy) s.run(runId);
      fin.run(runId, runId);
    }).immediate();
  } finally {
    db.exec('DETACH DATABASE shard');
  }
}
