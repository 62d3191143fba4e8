import type Database from 'better-sqlite3';
import type { Store } from './db.js';
import { prepared } from './rows.js';

/** What `export` writes: a run's event log (with type names), its samples, its memcgs. */
export type ExportWhat = 'events' | 'samples' | 'memcgs';
export type ExportFormat = 'csv' | 'jsonl';

/** The columns of an exported event, as in the events_v view. */
export const EVENT_COLUMNS = ['run', 'seq', 'tick', 'type', 'memcg', 'folio', 'a', 'b', 'data'] as const;

/**
 * Event rows per chunk of text SQLite builds (about 64 KB of CSV). Chunks come back as strings
 * this small so they die young in V8's new space; 0.5 MB Buffers piled up as external memory
 * until an old-space GC (peak RSS 108 → ~90 MiB on the 20 M-event scale run).
 */
export const EXPORT_CHUNK = 1024;

/**
 * A text column as a CSV cell, in SQL: quoted (quotes doubled) when it holds a quote, comma, CR or
 * LF, as the CLI's CSV writer does (cli/stream.ts); NULL is the empty cell.
 */
const csvText = (col: string) =>
  `CASE WHEN ${col} IS NULL THEN '' WHEN instr(${col}, '"') OR instr(${col}, ',') OR instr(${col}, char(10)) OR instr(${col}, char(13)) ` +
  `THEN '"' || replace(${col}, '"', '""') || '"' ELSE ${col} END`;

/**
 * The type name from the catalogue (event_types, as events_v joins it); an unknown code stays a
 * number. Names are snake_case identifiers: a CSV cell as they are.
 */
const TYPE_NAME = 'coalesce(t.name, e.type)';

const jsonValue = (c: (typeof EVENT_COLUMNS)[number]) =>
  c === 'type' ? `json_quote(${TYPE_NAME})` : c === 'data' ? 'json_quote(e.data)' : `e.${c}`;

/**
 * One event as a line of text, built by SQLite. concat_ws of the columns is about 1.5× faster than
 * `||` chains or json_object (every column is non-NULL here: data goes through csvText or
 * json_quote, which turn NULL into '' and null).
 */
const LINE: Record<ExportFormat, string> = {
  csv: `concat_ws(',', e.run, e.seq, e.tick, ${TYPE_NAME}, e.memcg, e.folio, e.a, e.b, ${csvText('e.data')})`,
  jsonl: `'{' || concat_ws(',', ${EVENT_COLUMNS.map((c) => `'"${c}":' || ${jsonValue(c)}`).join(', ')}) || '}'`,
};

function eventChunkStatement(sqlite: Database.Database, format: ExportFormat): Database.Statement {
  return prepared(
    sqlite,
    // the aggregate takes the rows in the subquery's (seq) order, as in reader.ts
    `SELECT group_concat(line, char(10)) || char(10), max(seq), count(*) FROM ` +
      `(SELECT e.seq AS seq, ${LINE[format]} AS line FROM events e LEFT JOIN event_types t ON t.code = e.type ` +
      'WHERE e.run = ? AND e.seq > ? ORDER BY e.seq LIMIT ?)',
  );
}

/**
 * A run's events as text, in seq order: chunks of whole lines (each ends with a newline), one
 * event a line, CSV (no header: EVENT_COLUMNS) or JSON objects. SQLite builds each chunk's text in
 * C (keyset pagination on the (run, seq) key, EXPORT_CHUNK rows a query), so memory stays constant
 * and rows do not cross into JS one by one. No statement stays open between chunks.
 */
export function* eventText(
  store: Store,
  run: number,
  format: ExportFormat,
  onChunk?: (lastSeq: number) => void,
): Generator<string, void, undefined> {
  exportCache(store);
  const stmt = eventChunkStatement(store.sqlite, format).raw(true);
  let after = 0;
  for (;;) {
    const [text, last, n] = stmt.get(run, after, EXPORT_CHUNK) as [string | null, number | null, number];
    if (!n || text === null || last === null) return;
    after = last;
    onChunk?.(last);
    yield text;
    if (n < EXPORT_CHUNK) return;
  }
}

/**
 * An export reads each page once, in key order: a small page cache does (a reader's default is
 * 64 MiB, which would be most of the export's memory).
 */
function exportCache(store: Store): void {
  store.sqlite.pragma(`cache_size = -${EXPORT_CACHE_KIB}`);
}
const EXPORT_CACHE_KIB = 4096;

const TABLE_SQL: Record<Exclude<ExportWhat, 'events'>, string> = {
  samples: 'SELECT * FROM samples WHERE run = ? ORDER BY seq',
  memcgs: 'SELECT * FROM memcgs WHERE run = ? ORDER BY id',
};

/**
 * A run's samples or memcgs: the column names (as in SQL) and the rows as arrays, stepped lazily
 * (one open statement: do not use the connection until the iterator ends).
 */
export function tableRows(
  store: Store,
  run: number,
  what: Exclude<ExportWhat, 'events'>,
): { headers: string[]; rows: IterableIterator<unknown[]> } {
  exportCache(store);
  const stmt = store.sqlite.prepare(TABLE_SQL[what]).raw(true);
  return { headers: stmt.columns().map((c) => c.name), rows: stmt.iterate(run) as IterableIterator<unknown[]> };
}
