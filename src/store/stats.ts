import type { Store } from './db.js';

export interface EventStorage {
  rows: number;
  /** bytes of the pages holding the events table */
  pages: number;
  /** bytes of the record payloads alone (null: dbstat unavailable) */
  payload: number | null;
  how: string;
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
    return { rows, pages: r.pg, payload: r.pl, how: 'dbstat pages of the events table', file };
  } catch {
    return { rows, pages: file, payload: null, how: 'page_count × page_size of the whole file (dbstat unavailable)', file };
  }
}
