import type Database from 'better-sqlite3';

/**
 * Rows as the schema's TypeScript objects (camelCase keys) ⇄ SQL columns (snake_case), without
 * loading drizzle at run time: drizzle defines the schema and generates the migrations; the hot
 * and start-up paths use prepared statements built from the object's keys, so a column added to
 * the schema (and to the object) is written and read with no change here.
 */
export const toColumn = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const toKey = (column: string): string => column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A prepared statement, cached per connection by its text. */
export function prepared(sqlite: Database.Database, sql: string): Database.Statement {
  let m = cache.get(sqlite);
  if (!m) {
    m = new Map();
    cache.set(sqlite, m);
  }
  let s = m.get(sql);
  if (!s) {
    s = sqlite.prepare(sql);
    m.set(sql, s);
  }
  return s;
}

/** The defined (not undefined) entries of a row object. */
function entries(row: object): [string, unknown][] {
  return Object.entries(row).filter(([, v]) => v !== undefined);
}

/** INSERT one row object into `table`; returns the new rowid. */
export function insertRow(sqlite: Database.Database, table: string, row: object): number {
  const e = entries(row);
  const sql = `INSERT INTO ${table} (${e.map(([k]) => `"${toColumn(k)}"`).join(', ')}) VALUES (${e.map(() => '?').join(', ')})`;
  return Number(prepared(sqlite, sql).run(...e.map(([, v]) => v)).lastInsertRowid);
}

/** UPDATE the given columns of the rows matching `where` (a fixed SQL condition with ? parameters). */
export function updateRows(sqlite: Database.Database, table: string, set: object, where: string, ...params: unknown[]): number {
  const e = entries(set);
  if (!e.length) return 0;
  const sql = `UPDATE ${table} SET ${e.map(([k]) => `"${toColumn(k)}" = ?`).join(', ')} WHERE ${where}`;
  return prepared(sqlite, sql).run(...e.map(([, v]) => v), ...params).changes;
}

/** A row read with SELECT *, its columns as the schema's keys. */
export function asObject<T>(row: Record<string, unknown> | undefined): T | undefined {
  if (!row) return undefined;
  const out: Record<string, unknown> = {};
  for (const k in row) out[toKey(k)] = row[k];
  return out as T;
}
