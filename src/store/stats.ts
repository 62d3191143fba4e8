import type { Store } from './db.js';

export interface EventStorage {
  rows: number;
  /** bytes of the pages holding the events table */
  pages: number;
  /** bytes of the record payloads alone (null: dbstat unavailable) */
  payload: number | null;
  how: string;
  /** bytes of the pages of the query projections (cycles, evictions, refaults, splices) and their indexes, by name (null: dbstat unavailable) */
  query: Record<string, number> | null;
  /** bytes of the whole database file */
  file: number;
}

/** What the event log costs on disk (the bench's size figure); meant for a database holding one run. */
export function eventStorage(store: Store, run: number): EventStorage {
  const db = store.sqlite;
  const rows = db.prepare('SELECT count(*) FROM events WHERE run = ?').pluck().get(run) as number;
  const file = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  try {
    const r = db.prepare("SELECT sum(pgsize) AS pg, sum(payload) AS pl FROM dbstat WHERE name = 'events'").get() as {
      pg: number;
      pl: number;
    };
    const q = db
      .prepare(
        "SELECT name, sum(pgsize) AS pg FROM dbstat WHERE name IN ('cycles', 'cycles_cycle', 'evictions', 'refaults', 'splices', 'memcgs_offline') GROUP BY name",
      )
      .all() as { name: string; pg: number }[];
    const query = Object.fromEntries(q.map((i) => [i.name, i.pg]));
    return { rows, pages: r.pg, payload: r.pl, how: 'dbstat pages of the events table', query, file };
  } catch {
    return { rows, pages: file, payload: null, how: 'page_count × page_size of the whole file (dbstat unavailable)', query: null, file };
  }
}
