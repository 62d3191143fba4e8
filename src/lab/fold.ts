import { type Event, EventType } from '../kernel/events.js';
import { evolve } from '../kernel/evolve.js';
import { createState, type KernelState } from '../kernel/state.js';
import type { Store } from '../store/db.js';
import { runEvents } from '../store/reader.js';
import type { SnapshotKey } from '../store/snapshots.js';
import { loadSnapshot } from './snapshot.js';

/**
 * A point in a run's log: right after event `seq`; after the last event at or before `tick`;
 * right after the `cycle` event that ended cycle `cycle`.
 */
export interface Point {
  key: SnapshotKey;
  value: number;
}

export interface FoldOptions {
  /** start from the nearest good snapshot at or before this point; omitted: from the empty state */
  from?: Point;
  /** stop at this point; omitted: the end of the log */
  to?: Point;
  /** before each event is applied, with the state right before it (the incremental checker notes what the event will touch) */
  before?: (e: Event, s: KernelState) => void;
  /** after each event is applied, with the state right after it; returning false stops the fold */
  observe?: (e: Event, s: KernelState) => unknown;
}

/** An event that `evolve` refused: the log does not fit the model (or is damaged) there. */
export class FoldError extends Error {
  constructor(
    readonly event: Event,
    readonly state: KernelState,
    override readonly cause: Error,
  ) {
    super(cause.message);
  }
}

/**
 * The one fold of a run's log through `evolve` — what replay, cat, verify, rebuild and the
 * benchmarks are built on. Starting from a snapshot bounds the cost by the snapshot interval,
 * not by the target's seq. Upcasts older logs on read (a log newer than this build is refused).
 */
export function foldRun(store: Store, run: { id: number; schemaVersion: number }, opts: FoldOptions = {}): KernelState {
  const s = (opts.from && loadSnapshot(store, run.id, opts.from.key, opts.from.value)?.state) || createState();
  const to = opts.to;
  if (to?.key === 'cycle' && s.cycle === to.value) return s; // snapshots sit at step ends, right after a cycle event
  for (const e of runEvents(store, run, s.seq, to?.key === 'seq' ? to.value : undefined)) {
    if (to?.key === 'tick' && e.tick > to.value) break;
    opts.before?.(e, s);
    try {
      evolve(s, e);
    } catch (err) {
      throw new FoldError(e, s, err instanceof Error ? err : new Error(String(err)));
    }
    if (opts.observe?.(e, s) === false) break;
    if (to?.key === 'cycle' && e.type === EventType.cycle && e.a === to.value) break;
  }
  return s;
}
