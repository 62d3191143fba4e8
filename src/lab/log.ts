import type { Event } from '../kernel/events.js';
import type { Store } from '../store/db.js';
import { readEvents } from '../store/reader.js';
import { upcasterFor } from '../store/upcast.js';
import type { RunRow } from './runs.js';

/** Events read per query: no statement stays open while the caller works, so it may write (rebuild). */
const CHUNK = 65_536;

/**
 * A run's events in seq order, (fromSeq, toSeq], in this build's catalogue: rows written under an
 * older event schema go through the upcast hook; a log from a newer schema is refused.
 */
export function* runEvents(store: Store, run: RunRow, fromSeq = 0, toSeq = Number.MAX_SAFE_INTEGER): Generator<Event> {
  const up = upcasterFor(run.schemaVersion, `run ${run.id}`);
  for (let from = fromSeq; from < toSeq; from += CHUNK) {
    const chunk = [...readEvents(store.sqlite, run.id, from, Math.min(toSeq, from + CHUNK))];
    for (const e of chunk) yield up ? up(e) : e;
    if (chunk.length < CHUNK) return; // seqs are dense: a short chunk is the end of the log
  }
}

/** Seq and tick of a run's last event (0, 0 for an empty log). */
export function logEnd(store: Store, runId: number): { seq: number; tick: number } {
  const r = store.sqlite.prepare('SELECT seq, tick FROM events WHERE run = ? ORDER BY seq DESC LIMIT 1').get(runId) as
    | { seq: number; tick: number }
    | undefined;
  return r ?? { seq: 0, tick: 0 };
}
