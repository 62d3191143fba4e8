import { LabError } from '../errors.js';
import type { Store } from './db.js';

/** Run one user-given SELECT; anything that would write is refused (the CLI's `query`). */
export function readOnlyQuery(store: Store, sql: string): { headers: string[]; rows: unknown[][] } {
  let stmt;
  try {
    stmt = store.sqlite.prepare(sql);
  } catch (e) {
    throw new LabError(`SQL error: ${(e as Error).message}`);
  }
  if (!stmt.reader) throw new LabError('query is read-only: give one SELECT (or WITH … SELECT) statement');
  const headers = stmt.columns().map((c) => c.name);
  const rows = stmt.raw(true).all() as unknown[][];
  return { headers, rows };
}
