import type { Store } from './db.js';
import { prepared } from './rows.js';

/**
 * Every table that holds rows of a run: those with a `run` column (events, snapshots, chain,
 * samples, memcgs, run_tags, and whatever per-run table a later migration adds), found in the
 * schema so a new one is deleted with no change here. Views are not tables.
 */
export function perRunTables(store: Store): string[] {
  return store.sqlite
    .prepare(
      "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' " +
        "AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'run') ORDER BY m.name",
    )
    .pluck()
    .all() as string[];
}

/** Rows per table a run holds (the run's own row not counted). */
export function countRunRows(store: Store, run: number, tables = perRunTables(store)): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = prepared(store.sqlite, `SELECT count(*) FROM "${t}" WHERE run = ?`).pluck().get(run) as number;
  return out;
}

/**
 * Delete a run and every row it holds; the rows deleted per table. Each table's rows are one
 * range of its (run, …) primary key, so this is a range delete, not a scan. Call inside the
 * caller's write transaction: all of the run goes, or none of it.
 */
export function deleteRunRows(store: Store, run: number, tables = perRunTables(store)): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = prepared(store.sqlite, `DELETE FROM "${t}" WHERE run = ?`).run(run).changes;
  prepared(store.sqlite, 'DELETE FROM runs WHERE id = ?').run(run);
  return out;
}

/** Delete a sweep's own rows (its runs are deleted one by one first). */
export function deleteSweepRow(store: Store, sweep: number): void {
  prepared(store.sqlite, 'DELETE FROM sweep_tags WHERE sweep = ?').run(sweep);
  prepared(store.sqlite, 'DELETE FROM sweeps WHERE id = ?').run(sweep);
}

/** Give the freed pages back to the file system (outside any transaction; rewrites the file). */
export function vacuum(store: Store): void {
  store.sqlite.exec('VACUUM');
}

/** Bytes the database file holds in free pages (reused by later writes; VACUUM gives them back). */
export function freeBytes(store: Store): number {
  const free = store.sqlite.pragma('freelist_count', { simple: true }) as number;
  const size = store.sqlite.pragma('page_size', { simple: true }) as number;
  return free * size;
}
