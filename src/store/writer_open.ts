import Database from 'better-sqlite3';
import type { Store } from './db.js';
import { sqliteFailure } from './errors.js';
import { BUSY_TIMEOUT_MS } from './open.js';

/** WAL pages after which the writer thread's own commit checkpoints (40 MiB at 4 KiB pages; SQLite's default is 1,000). */
export const WRITER_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * A second connection to a database this process already opened with openStore (so it exists,
 * is memcglab's and is migrated): what a pipelined run's writer thread writes through. The same
 * settings as openStore's writer, without its checks, migrations and catalogue rewrite, so the
 * thread starts in a few milliseconds.
 */
export function openRunWriter(path: string): Store {
  try {
    const sqlite = new Database(path, { timeout: BUSY_TIMEOUT_MS, fileMustExist: true });
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('cache_size = -8192');
    // the simulation thread checkpoints the WAL while it waits for this one (checkpointWal); this
    // bound only matters when it never waits (a run whose simulation is the slower side)
    sqlite.pragma(`wal_autocheckpoint = ${WRITER_AUTOCHECKPOINT_PAGES}`);
    return { sqlite, path, readonly: false };
  } catch (e) {
    throw sqliteFailure(e, path) ?? e;
  }
}

/**
 * Copy what is committed in the WAL into the database file without waiting for anyone (a PASSIVE
 * checkpoint): the simulation thread of a pipelined run does it on its own connection while it
 * would otherwise wait for the writer thread, which then spends its time on inserts alone.
 */
export function checkpointWal(store: Store): void {
  store.sqlite.pragma('wal_checkpoint(PASSIVE)');
}
