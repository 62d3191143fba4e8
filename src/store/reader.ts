import type Database from 'better-sqlite3';
import type { Event, EventCode } from '../kernel/events.js';

/**
 * Read a run's events in seq order, from `fromSeq` (exclusive) to `toSeq` (inclusive).
 * Rows come back as arrays (stmt.raw()) and are decoded into one reused-shape object each.
 */
export function* readEvents(sqlite: Database.Database, run: number, fromSeq = 0, toSeq = Number.MAX_SAFE_INTEGER): Generator<Event> {
  const stmt = sqlite
    .prepare('SELECT seq, tick, type, memcg, folio, a, b, data FROM events WHERE run = ? AND seq > ? AND seq <= ? ORDER BY seq')
    .raw(true);
  for (const r of stmt.iterate(run, fromSeq, toSeq) as IterableIterator<unknown[]>) {
    yield {
      seq: r[0] as number, tick: r[1] as number, type: r[2] as EventCode, memcg: r[3] as number,
      folio: r[4] as number, a: r[5] as number, b: r[6] as number, data: r[7] as string | null,
    };
  }
}

export function lastSeq(sqlite: Database.Database, run: number): number {
  const r = sqlite.prepare('SELECT max(seq) AS s FROM events WHERE run = ?').get(run) as { s: number | null };
  return r.s ?? 0;
}
