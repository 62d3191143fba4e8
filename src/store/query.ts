import type Database from 'better-sqlite3';
import { LabError } from '../errors.js';
import type { Store } from './db.js';

/** Statement kinds `query` runs; anything else is refused before SQLite sees it. */
const READ_KEYWORDS = new Set(['SELECT', 'WITH', 'VALUES', 'EXPLAIN']);
/** Statements that write or change the connection: refused by name (SQLite would let some run on a read-only file). */
const WRITE_KEYWORDS = new Set([
  'INSERT',
  'UPDATE',
  'DELETE',
  'REPLACE',
  'UPSERT',
  'CREATE',
  'DROP',
  'ALTER',
  'ATTACH',
  'DETACH',
  'PRAGMA',
  'VACUUM',
  'REINDEX',
  'ANALYZE',
  'BEGIN',
  'COMMIT',
  'END',
  'ROLLBACK',
  'SAVEPOINT',
  'RELEASE',
]);

/** The first keyword of `sql`, past whitespace and comments ('' when there is none). */
export function firstKeyword(sql: string): string {
  let i = 0;
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i])) i++;
    if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else break;
  }
  return /^[A-Za-z]+/.exec(sql.slice(i))?.[0].toUpperCase() ?? '';
}

export interface QueryRows {
  headers: string[];
  rows: IterableIterator<unknown[]>;
}

/**
 * Prepare one user-given read-only statement (the CLI's `query`): the database is open
 * read-only, the statement must start with SELECT, WITH, VALUES or EXPLAIN, and SQLite must
 * agree it writes nothing (`stmt.readonly`: that refuses `WITH … DELETE … RETURNING`). Rows are
 * stepped lazily, so output of any size streams.
 */
export function readOnlyQuery(store: Pick<Store, 'sqlite'>, sql: string): QueryRows {
  const kw = firstKeyword(sql);
  if (!kw) throw new LabError('query: no SQL statement given, e.g. memcglab query "SELECT id, status FROM runs"');
  if (WRITE_KEYWORDS.has(kw)) throw new LabError(`query is read-only: give one SELECT (or WITH … SELECT) statement (${kw} is refused)`);
  let stmt: Database.Statement;
  try {
    stmt = store.sqlite.prepare(sql);
  } catch (e) {
    const msg = (e as Error).message;
    if (/more than one statement/i.test(msg)) throw new LabError('query takes one statement; run them one at a time');
    throw new LabError(`SQL error: ${msg}`);
  }
  if (!READ_KEYWORDS.has(kw) || !stmt.reader || !stmt.readonly)
    throw new LabError('query is read-only: give one SELECT (or WITH … SELECT) statement');
  const headers = stmt.columns().map((c) => c.name);
  return { headers, rows: stmt.raw(true).iterate() as IterableIterator<unknown[]> };
}
