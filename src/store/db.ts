import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { LabError } from '../errors.js';
import { syncCatalogue } from './catalogue.js';
import { noteDatabase, sqliteFailure } from './errors.js';
import { appliedMigrations, knownMigrations, migrateDatabase } from './migrate.js';
import { BUSY_TIMEOUT_MS, foreignError, inspect, newerError, openReadOnly } from './open.js';

export { migrationsFolder } from './migrate.js';

/**
 * An open database. `sqlite` is for the modules of src/store only: the lab and the CLI go through
 * the store's functions (runs, events, snapshots, samples, projections, query). drizzle defines
 * the schema (schema.ts) and generates the migrations; at run time the store uses prepared
 * statements (rows.ts maps the schema's objects), so starting a command does not load drizzle.
 */
export interface Store {
  sqlite: Database.Database;
  path: string;
  readonly: boolean;
}

export function closeStore(store: Store): void {
  store.sqlite.close();
}

/**
 * Run `fn` in one transaction: all of it or none. `immediate` takes the write lock up front, so a
 * read-then-write (resume, rebuild) cannot race another writer.
 */
export function inTransaction<T>(store: Store, fn: () => T, immediate = false): T {
  const tx = store.sqlite.transaction(fn);
  return immediate ? tx.immediate() : tx();
}

export function defaultDbPath(): string {
  return process.env.MEMCGLAB_DB || './memcglab.db';
}

function wrap(sqlite: Database.Database, path: string, readonly: boolean): Store {
  // Readers (replay, queries) get a large page cache; a writer mostly appends to the right edge
  // of the events b-tree and keeps a small one, so its memory does not grow with the log.
  sqlite.pragma(readonly ? 'cache_size = -65536' : 'cache_size = -8192');
  return { sqlite, path, readonly };
}

/**
 * Open (and create or migrate) a memcglab database. The file is looked at read-only first: another
 * application's SQLite file is refused untouched; a zero-byte file is an empty database.
 * Read-only opens never create or write a file: an empty file reads as an empty lab (an
 * in-memory one), an older memcglab file is migrated by a short writable open when its folder is
 * writable (as any writer would), and a file on read-only media is read from an in-memory image.
 */
export function openStore(path: string, opts: { readonly?: boolean } = {}): Store {
  noteDatabase(path);
  if (path === '') throw new LabError('--db is empty; give a database file path');
  const known = knownMigrations();
  const { kind, applied, tables } = inspect(path);
  if (kind === 'foreign') throw foreignError(path, tables);
  if (applied > known) throw newerError(path, applied, known);

  if (opts.readonly) {
    if (kind === 'missing') throw new LabError(`database ${path} does not exist; run an experiment first (memcglab run …) or pass --db`);
    if (kind === 'empty') {
      const mem = new Database(':memory:');
      migrateDatabase(mem);
      syncCatalogue(mem);
      return wrap(mem, path, true);
    }
    if (applied < known) closeStore(openWritable(path, known)); // an older memcglab file: bring it up to date
    try {
      return wrap(openReadOnly(path), path, true);
    } catch (e) {
      throw sqliteFailure(e, path) ?? e;
    }
  }
  if (kind === 'missing' && !existsSync(dirname(path) || '.')) {
    throw new LabError(`cannot create database ${path}: folder ${dirname(path)} does not exist`);
  }
  return openWritable(path, known);
}

function openWritable(path: string, known: number): Store {
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  } catch (e) {
    throw sqliteFailure(e, path) ?? new LabError(`cannot open database ${path}: ${(e as Error).message}`);
  }
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    const applied = appliedMigrations(sqlite);
    if (applied > known) throw newerError(path, applied, known);
    if (applied < known) migrateDatabase(sqlite);
    syncCatalogue(sqlite);
    return wrap(sqlite, path, false);
  } catch (e) {
    sqlite.close();
    if (e instanceof LabError) throw e;
    throw sqliteFailure(e, path) ?? new LabError(`cannot use database ${path}: ${(e as Error).message}`);
  }
}
