import type Database from 'better-sqlite3';
import { columnsDoc, enumRows } from '../kernel/event_docs.js';
import { CATALOGUE, type EventTypeName } from '../kernel/events.js';
import { METRIC_TYPES } from './metric_types.js';

type Row = readonly (string | number)[];

/**
 * The lookup tables that explain the log, written from the code at every writable open so they
 * never drift from it: `event_types` (the catalogue), `event_enums` (each value of its enum and
 * flag columns) and `metric_types` (what each samples column holds). A table is rewritten only
 * when it differs (writers open often, and at once).
 */
export function syncCatalogue(sqlite: Database.Database): void {
  // event_types keeps the rows of retired codes a database already has: old logs hold those codes
  sync(
    sqlite,
    'event_types',
    ['code', 'name', 'columns', 'what'],
    Object.entries(CATALOGUE).map(([name, d]) => [d.code, name, columnsDoc(name as EventTypeName), d.what]),
    true,
  );
  sync(
    sqlite,
    'event_enums',
    ['code', 'event', 'col', 'value', 'name', 'kind'],
    enumRows().map((r) => [r.code, r.event, r.col, r.value, r.name, r.kind]),
  );
  sync(
    sqlite,
    'metric_types',
    ['name', 'kind', 'unit', 'what'],
    Object.entries(METRIC_TYPES).map(([name, m]) => [name, m.kind, m.unit, m.what]),
  );
}

/**
 * Make `table` hold `want` (keyed by its first column's conflict target): compared first, written
 * in one write transaction only when it differs. `keep`: rows not in `want` stay (upserted by
 * the first column); otherwise the table is replaced.
 */
function sync(sqlite: Database.Database, table: string, cols: readonly string[], want: readonly Row[], keep = false): void {
  const key = (r: Row) => r.join('\u0000');
  const have = new Set(
    (
      sqlite
        .prepare(`SELECT ${cols.join(', ')} FROM ${table}`)
        .raw(true)
        .all() as Row[]
    ).map(key),
  );
  if ((keep || have.size === want.length) && want.every((w) => have.has(key(w)))) return;
  const upsert = keep
    ? ` ON CONFLICT(${cols[0]}) DO UPDATE SET ${cols
        .slice(1)
        .map((c) => `${c} = excluded.${c}`)
        .join(', ')}`
    : '';
  const ins = sqlite.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})${upsert}`);
  sqlite
    .transaction(() => {
      if (!keep) sqlite.exec(`DELETE FROM ${table}`);
      for (const w of want) ins.run(...w);
    })
    .immediate();
}
