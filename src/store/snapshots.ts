import type Database from 'better-sqlite3';
import { encodingHash, serializeState } from '../kernel/serialize.js';
import type { KernelState } from '../kernel/state.js';

/** What a resumed run needs besides the kernel state: the PRNG and where the workload loop stands. */
export interface SnapshotLab {
  rng: number[];
  /** the first cycle not yet run */
  nextCycle: number;
}

export interface SnapshotRow {
  seq: number;
  tick: number;
  cycle: number;
  state: Buffer;
  lab: SnapshotLab;
  stateHash: string;
}

/**
 * Store the full state of a run at its current seq. Called inside the appender's open transaction,
 * so the snapshot becomes durable together with the events it summarises, or not at all.
 */
export function writeSnapshot(sqlite: Database.Database, run: number, s: KernelState, lab: SnapshotLab): string {
  const blob = serializeState(s);
  const hash = encodingHash(blob); // = stateHash(s), without encoding twice
  sqlite
    .prepare('INSERT INTO snapshots (run, seq, tick, cycle, state, lab, state_hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(run, s.seq, s.tick, s.cycle, blob, JSON.stringify(lab), hash);
  return hash;
}

/** Which column a target point is measured in; snapshots carry all three, so any can pick one. */
export type SnapshotKey = 'seq' | 'tick' | 'cycle';

/**
 * The latest snapshot at or before `value` on `key` (ticks and cycles never go back along seq, so
 * the latest by that column is also the latest by seq); undefined when none is.
 */
export function nearestSnapshot(sqlite: Database.Database, run: number, key: SnapshotKey, value: number): SnapshotRow | undefined {
  const r = sqlite
    .prepare(`SELECT seq, tick, cycle, state, lab, state_hash FROM snapshots WHERE run = ? AND ${key} <= ? ORDER BY seq DESC LIMIT 1`)
    .get(run, value) as (Omit<SnapshotRow, 'lab' | 'stateHash'> & { lab: string; state_hash: string }) | undefined;
  if (!r) return undefined;
  return { seq: r.seq, tick: r.tick, cycle: r.cycle, state: r.state, lab: JSON.parse(r.lab) as SnapshotLab, stateHash: r.state_hash };
}

export function lastSnapshot(sqlite: Database.Database, run: number): SnapshotRow | undefined {
  return nearestSnapshot(sqlite, run, 'seq', Number.MAX_SAFE_INTEGER);
}
