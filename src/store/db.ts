import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from '../errors.js';
import { CATALOGUE, columnsDoc, type EventTypeName } from '../kernel/events.js';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema>;
/**
 * An open database. `sqlite` and `db` are for the modules of src/store only: the lab and the CLI
 * go through the store's functions (runs, events, snapshots, samples, projections, query).
 */
export interface Store {
  sqlite: Database.Database;
  db: Db;
  path: string;
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

/** The repo's migrations folder, found from this module whether it runs from src/ or dist/. */
export function migrationsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'migrations', 'meta', '_journal.json'))) return join(dir, 'migrations');
    dir = dirname(dir);
  }
  throw new Error('cannot find the migrations folder next to memcglab');
}

function knownMigrations(): number {
  const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8'));
  return journal.entries.length as number;
}

function appliedMigrations(sqlite: Database.Database): number {
  const t = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type='table' AND name='__drizzle_migrations'`).get();
  if (!t) return 0;
  return (sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
}

/**
 * Open (and create or migrate) a memcglab database. Read-only opens never create a file nor write
 * runs; a file with an older schema is migrated first, as any writer would (otherwise `runs`,
 * `show` or `query` could not read a database made by an older memcglab).
 */
export function openStore(path: string, opts: { readonly?: boolean; migrated?: boolean } = {}): Store {
  if (opts.readonly && !existsSync(path)) {
    throw new LabError(`database ${path} does not exist; run an experiment first (memcglab run …) or pass --db`);
  }
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path, { readonly: !!opts.readonly, fileMustExist: !!opts.readonly });
  } catch (e) {
    throw new LabError(`cannot open database ${path}: ${(e as Error).message}`);
  }
  try {
    const applied = appliedMigrations(sqlite);
    const known = knownMigrations();
    if (applied > known) {
      throw new LabError(`database ${path} was written by a newer memcglab (schema ${applied} > ${known}); upgrade memcglab to read it`);
    }
    if (opts.readonly) {
      if (applied < known && !opts.migrated) {
        sqlite.close();
        closeStore(openStore(path)); // the writable open migrates it
        return openStore(path, { readonly: true, migrated: true });
      }
    } else {
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('busy_timeout = 5000');
      const db = drizzle(sqlite, { schema });
      migrate(db, { migrationsFolder: migrationsFolder() });
      syncEventTypes(sqlite);
    }
    // Readers (replay, queries) get a large page cache; a writer mostly appends to the right edge
    // of the events b-tree and keeps a small one, so its memory does not grow with the log.
    sqlite.pragma(opts.readonly ? 'cache_size = -65536' : 'cache_size = -8192');
    return { sqlite, db: drizzle(sqlite, { schema }), path };
  } catch (e) {
    sqlite.close();
    if (e instanceof LabError) throw e;
    throw new LabError(`cannot use database ${path}: ${(e as Error).message}`);
  }
}

function syncEventTypes(sqlite: Database.Database): void {
  const up = sqlite.prepare(
    'INSERT INTO event_types (code, name, columns, what) VALUES (?, ?, ?, ?) ' +
      'ON CONFLICT(code) DO UPDATE SET name = excluded.name, columns = excluded.columns, what = excluded.what',
  );
  sqlite.transaction(() => {
    for (const [name, d] of Object.entries(CATALOGUE)) up.run(d.code, name, columnsDoc(name as EventTypeName), d.what);
  })();
}
