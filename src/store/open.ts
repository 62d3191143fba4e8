import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { LabError } from '../errors.js';

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
    throw new LabError(`database ${path} is on read-only media and larger than ${MAX_IMAGE / 1024 ** 3} GiB; copy it to a writable disk to read it`);
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
  return sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
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
