import { recording, withStore } from './fixture.js';
import { atMost, round, type BenchContext, type BenchResult } from './types.js';

/**
 * size: bytes per event on disk — the pages of the `events` table (dbstat) divided by the rows,
 * for a database holding one run. Baseline: the record payload alone (the values as SQLite encodes
 * them, without b-tree page overhead). Goal <= 32 bytes/event.
 */
export function benchSize(ctx: BenchContext): BenchResult[] {
  const rec = recording(ctx);
  return withStore(rec.path, (store) => {
    const db = store.sqlite;
    const n = (db.prepare('SELECT count(*) AS n FROM events WHERE run = ?').get(rec.runId) as { n: number }).n;
    let pages: number;
    let payload: number | null = null;
    let how: string;
    try {
      const r = db.prepare("SELECT sum(pgsize) AS pg, sum(payload) AS pl FROM dbstat WHERE name = 'events'").get() as { pg: number; pl: number };
      pages = r.pg;
      payload = r.pl;
      how = 'dbstat pages of the events table';
    } catch {
      const pc = db.pragma('page_count', { simple: true }) as number;
      const ps = db.pragma('page_size', { simple: true }) as number;
      pages = pc * ps;
      how = 'page_count × page_size of the whole file (dbstat unavailable)';
    }
    const file = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
    const value = round(pages / n, 2);
    const baseline = payload === null ? null : round(payload / n, 2);
    return [
      {
        name: 'size', value, unit: 'bytes/event', baseline, ratio: baseline === null ? null : round(value / baseline),
        ...atMost(value, 32, 'bytes/event'),
        note: `${how}, ${n} events of one run; baseline: record payload bytes/event; whole file ${round(file / n, 2)} bytes/event`,
      },
    ];
  }, true);
}
