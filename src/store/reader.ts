import type Database from 'better-sqlite3';
import type { Event, EventCode } from '../kernel/events.js';
import type { Store } from './db.js';
import { upcasterFor } from './upcast.js';

/** Rows fetched per query when reading a log. */
export const READ_CHUNK = 8192;

const cache = new WeakMap<Database.Database, Database.Statement>();

/**
 * One chunk of a run's events as a single JSON text: `[[seq,tick,type,memcg,folio,a,b,data],…]`.
 * SQLite builds the text in C and V8's JSON.parse decodes it in one call, which reads a log about
 * twice as fast as stepping a statement row by row (`stmt.raw().iterate()` crosses from JS into
 * the native addon once per row; measured by `memcglab bench`, figure replay).
 */
function chunkStatement(sqlite: Database.Database): Database.Statement {
  let stmt = cache.get(sqlite);
  if (!stmt) {
    stmt = sqlite
      .prepare(
        'SELECT json_group_array(json_array(seq, tick, type, memcg, folio, a, b, data)) FROM ' +
          '(SELECT seq, tick, type, memcg, folio, a, b, data FROM events WHERE run = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?)',
      )
      .pluck(true);
    cache.set(sqlite, stmt);
  }
  return stmt;
}

/**
 * Read a run's events in seq order, from `fromSeq` (exclusive) to `toSeq` (inclusive), in chunks
 * of READ_CHUNK rows (keyset pagination on the (run, seq) key). Each event is a fresh object.
 * No statement stays open between chunks, so the caller may write while it reads (rebuild).
 */
export function* readEvents(store: Store, run: number, fromSeq = 0, toSeq = Number.MAX_SAFE_INTEGER): Generator<Event> {
  const stmt = chunkStatement(store.sqlite);
  let after = fromSeq;
  for (;;) {
    const rows = JSON.parse(stmt.get(run, after, toSeq, READ_CHUNK) as string) as unknown[][];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const seq = r[0] as number;
      if (seq <= after) throw new Error(`events of run ${run} read out of order (seq ${seq} after ${after})`);
      after = seq;
      yield rowToEvent(r);
    }
    if (rows.length < READ_CHUNK) return;
  }
}

/**
 * A run's events in seq order, (fromSeq, toSeq], in this build's catalogue: rows written under an
 * older event schema go through the upcast hook; a log from a newer schema is refused.
 */
export function* runEvents(
  store: Store,
  run: { id: number; schemaVersion: number },
  fromSeq = 0,
  toSeq = Number.MAX_SAFE_INTEGER,
): Generator<Event> {
  const up = upcasterFor(run.schemaVersion, `run ${run.id}`);
  if (!up) return yield* readEvents(store, run.id, fromSeq, toSeq);
  for (const e of readEvents(store, run.id, fromSeq, toSeq)) yield up(e);
}

/** Seq and tick of a run's last event (0, 0 for an empty log). */
export function logEnd(store: Store, run: number): { seq: number; tick: number } {
  const r = store.sqlite.prepare('SELECT seq, tick FROM events WHERE run = ? ORDER BY seq DESC LIMIT 1').get(run) as
    | { seq: number; tick: number }
    | undefined;
  return r ?? { seq: 0, tick: 0 };
}

/**
 * A run's events of the given types, in seq order, as stored (no upcast: callers read event types
 * whose columns never changed). One pass over the run's rows; for checks that read one kind of
 * record (lockdep over reparent_locks) without folding the whole log.
 */
export function* readEventsOfTypes(store: Store, run: number, types: readonly EventCode[]): Generator<Event> {
  const stmt = store.sqlite
    .prepare(
      `SELECT seq, tick, type, memcg, folio, a, b, data FROM events WHERE run = ? AND type IN (${types.map(() => '?').join(',')}) ORDER BY seq`,
    )
    .raw(true);
  for (const r of stmt.iterate(run, ...types) as Iterable<unknown[]>) yield rowToEvent(r);
}

/** An event from a row [seq, tick, type, memcg, folio, a, b, data]: a fresh object. */
function rowToEvent(r: readonly unknown[]): Event {
  return {
    seq: r[0] as number,
    tick: r[1] as number,
    type: r[2] as EventCode,
    memcg: r[3] as number,
    folio: r[4] as number,
    a: r[5] as number,
    b: r[6] as number,
    data: r[7] as string | null,
  };
}
