import type { Store } from './db.js';
import { asObject, insertRow, prepared } from './rows.js';
import type { LeaseHolder, RunRow } from './runs.js';
import type { sweeps } from './schema.js';
import { truncateRunAfter } from './truncate.js';

export type SweepRow = typeof sweeps.$inferSelect;

export function insertSweep(store: Store, row: Omit<SweepRow, 'id'>): number {
  return insertRow(store.sqlite, 'sweeps', row);
}

export function findSweep(store: Store, id: number): SweepRow | undefined {
  return asObject<SweepRow>(prepared(store.sqlite, 'SELECT * FROM sweeps WHERE id = ?').get(id) as Record<string, unknown> | undefined);
}

/** The runs of a sweep, in matrix order. */
export function sweepRuns(store: Store, id: number): RunRow[] {
  const rows = prepared(store.sqlite, 'SELECT * FROM runs WHERE sweep = ? ORDER BY sweep_cell, id').all(id) as Record<string, unknown>[];
  return rows.map((r) => asObject<RunRow>(r)!);
}

/** Runs by id, in the order asked. */
export function runsByIds(store: Store, ids: number[]): RunRow[] {
  const one = prepared(store.sqlite, 'SELECT * FROM runs WHERE id = ?');
  return ids.flatMap((id) => asObject<RunRow>(one.get(id) as Record<string, unknown> | undefined) ?? []);
}

/** Insert a run row keeping its id (a shard database holds the copy of one main-database run). */
export function insertRunRow(store: Store, row: RunRow): void {
  insertRow(store.sqlite, 'runs', row);
}

/**
 * Renew the lease `h` holds on each of `ids` (the sweep process holds its queued runs until a
 * worker takes them); runs taken by a worker or finished are left alone.
 */
export function renewLeases(store: Store, ids: readonly number[], h: LeaseHolder, now: number): void {
  const up = prepared(
    store.sqlite,
    "UPDATE runs SET heartbeat = ? WHERE id = ? AND status = 'running' AND pid IS ? AND host IS ? AND boot_id IS ? AND holder_start IS ?",
  );
  store.sqlite
    .transaction(() => {
      for (const id of ids) up.run(now, id, h.pid, h.host, h.bootId, h.holderStart);
    })
    .immediate();
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
  return prepared(store.sqlite, 'SELECT 1 FROM events WHERE run = ? LIMIT 1').get(runId) !== undefined;
}

/** Tables that hold a run's log, chain and projections, moved as a whole from a shard. */
const RUN_TABLES = ['events', 'snapshots', 'chain', 'samples', 'memcgs', 'cycles', 'evictions', 'refaults', 'splices'] as const;

/**
 * Move a finished run from a shard database (where a sweep worker wrote it without holding the
 * main database's write lock) into the main database, in one transaction: its events,
 * snapshots, hash chain (genesis included: the shard's run row is a copy of the main one, so the
 * identity it seals is the same), its projections' rows, and the run row's results; the run is
 * then done with no holder. Whatever the main database held for the run beyond its row is
 * replaced. Done only while `holder` (the worker) still holds the run's lease in the main
 * database: false, and nothing moved, when another process took the run over. Columns are read
 * from the main tables, so metric columns added to `samples` by later migrations move too.
 */
export function moveRunFromShard(store: Store, shardPath: string, runId: number, holder: LeaseHolder): boolean {
  const db = store.sqlite;
  db.prepare('ATTACH DATABASE ? AS shard').run(shardPath);
  try {
    const cols = (t: string) =>
      (db.prepare(`SELECT name FROM pragma_table_info('${t}')`).pluck().all() as string[]).map((c) => `"${c}"`).join(', ');
    const copy = RUN_TABLES.map((t) => db.prepare(`INSERT INTO main.${t} (${cols(t)}) SELECT ${cols(t)} FROM shard.${t} WHERE run = ?`));
    const held = db.prepare(
      "SELECT 1 FROM main.runs WHERE id = ? AND status = 'running' AND pid IS ? AND host IS ? AND boot_id IS ? AND holder_start IS ?",
    );
    const fin = db.prepare(
      'UPDATE main.runs SET (status, error, finished_at, events, cycles, state_hash, metrics, pid, host, boot_id, holder_start, heartbeat, lease_ms) = ' +
        '(SELECT status, error, finished_at, events, cycles, state_hash, metrics, NULL, NULL, NULL, NULL, NULL, NULL FROM shard.runs WHERE id = ?) WHERE id = ?',
    );
    return db
      .transaction(() => {
        if (!held.get(runId, holder.pid, holder.host, holder.bootId, holder.holderStart)) return false;
        truncateRunAfter(store, runId, 0);
        db.prepare('DELETE FROM main.chain WHERE run = ?').run(runId);
        db.prepare('DELETE FROM main.memcgs WHERE run = ?').run(runId);
        for (const s of copy) s.run(runId);
        fin.run(runId, runId);
        return true;
      })
      .immediate();
  } finally {
    db.exec('DETACH DATABASE shard');
  }
}
