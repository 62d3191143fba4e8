import type { Store } from './db.js';
import { prepared } from './rows.js';
import type { Tags } from './tags.js';

// The reads `memcglab serve` needs beyond what the other commands ask (all read-only).

/** A sweep as the runs page lists it. */
export interface SweepListing {
  id: number;
  name: string;
  experiment: string;
  created: string;
  note: string | null;
  runs: number;
  tags: Tags;
}

/** Every sweep, oldest first, with its run count and tags. */
export function listSweeps(store: Store): SweepListing[] {
  const rows = prepared(
    store.sqlite,
    'SELECT s.id, s.name, s.experiment, s.created, s.note, (SELECT count(*) FROM runs r WHERE r.sweep = s.id) AS runs FROM sweeps s ORDER BY s.id',
  ).all() as Omit<SweepListing, 'tags'>[];
  const tags = prepared(store.sqlite, 'SELECT sweep, key, value FROM sweep_tags ORDER BY sweep, key').all() as {
    sweep: number;
    key: string;
    value: string;
  }[];
  return rows.map((r) => ({ ...r, tags: Object.fromEntries(tags.filter((t) => t.sweep === r.id).map((t) => [t.key, t.value])) }));
}

/** An event row as stored: [seq, tick, type, memcg, folio, a, b, data]. */
export type EventRow = [number, number, number, number, number, number, number, string | null];

/** Which events to show: any of the given columns equal to the value (all given must match). */
export interface EventFilter {
  type?: number;
  memcg?: number;
  folio?: number;
}

function where(f: EventFilter): { sql: string; params: number[] } {
  const cols = (['type', 'memcg', 'folio'] as const).filter((k) => f[k] !== undefined);
  return { sql: cols.map((c) => ` AND ${c} = ?`).join(''), params: cols.map((c) => f[c]!) };
}

/**
 * The `limit` matching events at or before `seq` (newest first) and the `limit` after it, looking no
 * further than `window` seqs either way: a rare filter on a long log stops there instead of
 * scanning the whole run (the log is keyed by (run, seq) and has no index by type or folio).
 */
export function eventsAround(
  store: Store,
  run: number,
  seq: number,
  limit: number,
  window: number,
  f: EventFilter,
): { before: EventRow[]; after: EventRow[] } {
  const w = where(f);
  const cols = 'seq, tick, type, memcg, folio, a, b, data';
  const before = prepared(
    store.sqlite,
    `SELECT ${cols} FROM events WHERE run = ? AND seq <= ? AND seq > ?${w.sql} ORDER BY seq DESC LIMIT ?`,
  )
    .raw(true)
    .all(run, seq, seq - window, ...w.params, limit) as EventRow[];
  const after = prepared(store.sqlite, `SELECT ${cols} FROM events WHERE run = ? AND seq > ? AND seq <= ?${w.sql} ORDER BY seq LIMIT ?`)
    .raw(true)
    .all(run, seq, seq + window, ...w.params, limit) as EventRow[];
  return { before: before.reverse(), after };
}

/** Events of a run in (fromSeq, toSeq] matching the filter, in seq order, at most `limit`. */
export function eventsBetween(store: Store, run: number, fromSeq: number, toSeq: number, f: EventFilter, limit: number): EventRow[] {
  const w = where(f);
  return prepared(
    store.sqlite,
    `SELECT seq, tick, type, memcg, folio, a, b, data FROM events WHERE run = ? AND seq > ? AND seq <= ?${w.sql} ORDER BY seq LIMIT ?`,
  )
    .raw(true)
    .all(run, fromSeq, toSeq, ...w.params, limit) as EventRow[];
}

/** Freed memcgs at `seq` (the projection): how many, and the last few freed, newest first. */
export function freedAt(store: Store, run: number, seq: number, recent: number): { count: number; recent: MemcgLife[] } {
  const count = prepared(store.sqlite, 'SELECT count(*) FROM memcgs WHERE run = ? AND freed_seq <= ?').pluck().get(run, seq) as number;
  const rows = prepared(store.sqlite, `${LIFE} WHERE run = ? AND freed_seq <= ? ORDER BY freed_seq DESC LIMIT ?`).all(
    run,
    seq,
    recent,
  ) as MemcgLife[];
  return { count, recent: rows };
}

/** A memcg's life (the memcgs projection): seqs and ticks of its mkdir, rmdir and free. */
export interface MemcgLife {
  id: number;
  path: string;
  parent: number;
  createdSeq: number;
  offlineSeq: number | null;
  freedSeq: number | null;
}

const LIFE = 'SELECT id, path, parent, created_seq AS createdSeq, offline_seq AS offlineSeq, freed_seq AS freedSeq FROM memcgs';

export function memcgLife(store: Store, run: number, id: number): MemcgLife | undefined {
  return prepared(store.sqlite, `${LIFE} WHERE run = ? AND id = ?`).get(run, id) as MemcgLife | undefined;
}

/** The seq where cycle `cycle` ended (the cycles projection), or undefined. */
export function cycleEndSeq(store: Store, run: number, cycle: number): number | undefined {
  return prepared(store.sqlite, 'SELECT seq FROM cycles WHERE run = ? AND cycle = ?').pluck().get(run, cycle) as number | undefined;
}

/** The seq of the run's last snapshot at or before `seq` (0: none; replay then starts from the empty state). */
export function snapshotSeqAtOrBefore(store: Store, run: number, seq: number): number {
  return (prepared(store.sqlite, 'SELECT max(seq) FROM snapshots WHERE run = ? AND seq <= ?').pluck().get(run, seq) as number | null) ?? 0;
}
