import { LabError } from '../errors.js';

/** The database the current command opened last: what an SQLite failure is about. */
let current: string | undefined;
export function noteDatabase(path: string): void {
  current = path;
}

interface SqliteLike {
  code?: unknown;
  message: string;
}

/**
 * An SQLite failure as one line that says what failed and what to do; undefined when `e` is not
 * an SQLite error. Full, read-only, busy, damaged and I/O failures each get their advice.
 */
export function sqliteFailure(e: unknown, db = current): LabError | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = (e as SqliteLike).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  const where = db ? `database ${db}` : 'the database';
  const base = code.split('_').slice(0, 2).join('_'); // SQLITE_IOERR_WRITE → SQLITE_IOERR
  const tail = ` (${e.message})`;
  switch (base) {
    case 'SQLITE_FULL':
      return new LabError(`disk is full writing ${where}${tail}; free space (or pass --db on another disk) and try again`);
    case 'SQLITE_CORRUPT':
      return new LabError(
        `${where} is damaged (corrupt or malformed)${tail}; restore it from a copy, or read what survives with memcglab query`,
      );
    case 'SQLITE_NOTADB':
      return new LabError(`${where} is not a SQLite database${tail}; pass a memcglab database with --db`);
    case 'SQLITE_READONLY':
      return new LabError(`${where} is read-only${tail}; commands that write (run, resume, rebuild) need a writable file and folder`);
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new LabError(`${where} stayed locked by another process${tail}; try again when it is less busy`);
    case 'SQLITE_IOERR':
      return new LabError(`I/O error on ${where}${tail}; check the disk and try again`);
    case 'SQLITE_CANTOPEN':
      return new LabError(`cannot open ${where}${tail}; check the path and its folder's permissions`);
    case 'SQLITE_INTERRUPT':
      return new LabError(`a query on ${where} was interrupted${tail}`);
    case 'SQLITE_TOOBIG':
      return new LabError(`a value is too big for ${where}${tail}`);
    case 'SQLITE_AUTH':
    case 'SQLITE_ERROR':
    case 'SQLITE_RANGE':
    case 'SQLITE_CONSTRAINT':
    case 'SQLITE_MISMATCH':
    case 'SQLITE_SCHEMA':
      return new LabError(`SQL error on ${where}${tail}`);
    default:
      return new LabError(`SQLite failure on ${where}${tail}`);
  }
}
