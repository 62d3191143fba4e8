import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { LabError } from '../errors.js';
import { sqliteFailure } from './errors.js';
import { appliedMigrations, knownMigrations, migrateDatabase } from './migrate.js';

/** What a file holds, looked at without writing a byte. */
export type Kind = 'missing' | 'empty' | 'memcglab' | 'foreign';

/** How long a writer waits for another's lock before SQLITE_BUSY (it then retries; see withWriteLock). */
export const BUSY_TIMEOUT_MS = 10_000;

/** Images of read-only-media databases are held in memory up to this size. */
const MAX_IMAGE = 2 * 1024 ** 3;

export function isWritableLocation(path: string): boolean {
  try {
    accessSync(dirname(path), constants.W_OK);
    if (existsSync(path)) accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Open a database file read-only. A WAL database on read-only media (a read-only mount, a folder
 * nobody may write) cannot be opened in place: SQLite needs its -shm next to it. Such a file is
 * read into memory, marked as a rollback-journal database in that copy, and opened from there
 * (nothing is written next to the file).
 */
export function openReadOnly(path: string): Database.Database {
  if (!isWritableLocation(path) && !existsSync(`${path}-shm`)) return openImage(path);
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
    return sqlite;
  } catch (e) {
    sqlite.close();
    const code = (e as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY')) return openImage(path);
    throw e;
  }
}

function openImage(path: string): Database.Database {
  const size = statSync(path).size;
  if (size > MAX_IMAGE) {
    throw new LabError(
      `database ${path} is on read-only media and larger than ${MAX_IMAGE / 1024 ** 3} GiB; copy it to a writable disk to read it`,
    );
  }
  const image = readFileSync(path);
  if (image.length >= 20 && image[18] === 2 && image[19] === 2) {
    image[18] = 1; // WAL → rollback journal, in this in-memory copy only
    image[19] = 1;
  }
  const sqlite = new Database(image, { readonly: true });
  sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
  return sqlite;
}

/** The tables of an open database, by name. */
export function tableNames(sqlite: Database.Database): string[] {
  return sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
}

/** memcglab's marker: drizzle's migration table, or (older files) the runs and events tables. */
export function classify(tables: string[]): Exclude<Kind, 'missing'> {
  if (!tables.length) return 'empty';
  if (tables.includes('__drizzle_migrations') || (tables.includes('runs') && tables.includes('events'))) return 'memcglab';
  return 'foreign';
}

export function foreignError(path: string, tables: string[]): LabError {
  const list = tables.slice(0, 4).join(', ') + (tables.length > 4 ? ', …' : '');
  return new LabError(
    `${path} is not a memcglab database: it holds another application's tables (${list}) and no memcglab marker; ` +
      'memcglab leaves it untouched; pass --db with a memcglab database or a new file',
  );
}

export function newerError(path: string, applied: number, known: number): LabError {
  return new LabError(`database ${path} was written by a newer memcglab (schema ${applied} > ${known}); upgrade memcglab to read it`);
}

/** Look at a file without writing to it: what it is, and (for a memcglab file) how far its schema is. */
export function inspect(path: string): { kind: Kind; applied: number; tables: string[] } {
  if (!existsSync(path)) return { kind: 'missing', applied: 0, tables: [] };
  const st = statSync(path);
  if (st.isDirectory()) throw new LabError(`--db ${path} is a directory; pass a database file, e.g. --db ${path}/memcglab.db`);
  if (st.size === 0) return { kind: 'empty', applied: 0, tables: [] };
  let ro: Database.Database | undefined;
  try {
    ro = openReadOnly(path);
    const tables = tableNames(ro);
    const kind = classify(tables);
    return { kind, applied: kind === 'memcglab' ? appliedMigrations(ro) : 0, tables };
  } catch (e) {
    if (e instanceof LabError) throw e;
    const code = String((e as { code?: unknown }).code ?? '');
    if (code === 'SQLITE_NOTADB')
      throw new LabError(`${path} is not a SQLite database (so not a memcglab one); pass a memcglab database with --db`);
    throw sqliteFailure(e, path) ?? new LabError(`cannot open database ${path}: ${(e as Error).message}`);
  } finally {
    ro?.close();
  }
}

/**
 * The read-only connection `query` runs its statement on, opened with better-sqlite3 alone (the
 * query process starts fast): the same refusals as openStore (missing, foreign, not SQLite,
 * newer); an empty file is an empty lab; an older memcglab file answers undefined (the caller
 * goes through openStore, which migrates it).
 */
export function openForQuery(path: string): Database.Database | undefined {
  if (path === '') throw new LabError('--db is empty; give a database file path');
  const known = knownMigrations();
  const { kind, applied, tables } = inspect(path);
  if (kind === 'missing') throw new LabError(`database ${path} does not exist; run an experiment first (memcglab run …) or pass --db`);
  if (kind === 'foreign') throw foreignError(path, tables);
  if (applied > known) throw newerError(path, applied, known);
  if (kind === 'empty') {
    const mem = new Database(':memory:');
    migrateDatabase(mem);
    return mem;
  }
  if (applied < known) return undefined;
  try {
    return openReadOnly(path);
  } catch (e) {
    throw sqliteFailure(e, path) ?? e;
  }
}
