import { encodingHash, serializeState } from '../kernel/serialize.js';
import type { KernelState } from '../kernel/state.js';
import type { Store } from './db.js';
import { type EncodedSnapshot, insertSnapshot } from './snapshot_insert.js';

export { type EncodedSnapshot, insertSnapshot } from './snapshot_insert.js';

/**
 * One stored snapshot. `runner` is whatever the runner needs to resume (PRNG, workload cursor):
 * opaque JSON to the store, which only keeps it next to the state it belongs to.
 */
export interface SnapshotRow {
  seq: number;
  tick: number;
  cycle: number;
  state: Buffer;
  /** undefined when the stored runner state is not JSON (a damaged row) */
  runner: unknown;
  /** the runner state as stored */
  lab: string;
  stateHash: string;
}

/**
 * Store the full state of a run at its current seq. Called inside the appender's open transaction,
 * so the snapshot becomes durable together with the events it summarises, or not at all.
 */
export function writeSnapshot(store: Store, run: number, s: KernelState, runner: unknown): { stateHash: string; lab: string } {
  const snap = encodeSnapshot(s, runner);
  insertSnapshot(store, run, snap);
  return snap;
}

export function encodeSnapshot(s: KernelState, runner: unknown): EncodedSnapshot {
  const state = serializeState(s);
  // = stateHash(s), without encoding twice
  return { seq: s.seq, tick: s.tick, cycle: s.cycle, state, lab: JSON.stringify(runner), stateHash: encodingHash(state) };
}

/** A snapshot's columns but the blob, for verify. */
export interface SnapshotRecord {
  seq: number;
  tick: number;
  cycle: number;
  stateHash: string;
  lab: string;
}

/** Every snapshot of a run without its blob, in seq order. */
export function snapshotRecords(store: Store, run: number): SnapshotRecord[] {
  return store.sqlite
    .prepare('SELECT seq, tick, cycle, state_hash AS stateHash, lab FROM snapshots WHERE run = ? ORDER BY seq')
    .all(run) as SnapshotRecord[];
}

/** Which column a target point is measured in; snapshots carry all three, so any can pick one. */
export type SnapshotKey = 'seq' | 'tick' | 'cycle';

type Raw = Omit<SnapshotRow, 'runner' | 'stateHash'> & { lab: string; state_hash: string };

/**
 * The snapshots at or before `value` on `key`, latest first (ticks and cycles never go back along
 * seq, so the latest by that column is also the latest by seq). One row per query, read lazily:
 * a caller that takes the first good one loads one blob.
 */
export function* snapshotsAtOrBefore(store: Store, run: number, key: SnapshotKey, value: number): Generator<SnapshotRow> {
  const stmt = store.sqlite.prepare(
    `SELECT seq, tick, cycle, state, lab, state_hash FROM snapshots WHERE run = ? AND ${key} <= ? AND seq < ? ORDER BY seq DESC LIMIT 1`,
  );
  for (let before = Number.MAX_SAFE_INTEGER; ; ) {
    const r = stmt.get(run, value, before) as Raw | undefined;
    if (!r) return;
    before = r.seq;
    let runner: unknown;
    try {
      runner = JSON.parse(r.lab);
    } catch {
      runner = undefined;
    }
    yield { seq: r.seq, tick: r.tick, cycle: r.cycle, state: r.state, runner, lab: r.lab, stateHash: r.state_hash };
  }
}

/** Seq and recorded hash of every snapshot of a run, in seq order (no blobs). */
export function snapshotHashes(store: Store, run: number): { seq: number; stateHash: string }[] {
  return store.sqlite.prepare('SELECT seq, state_hash AS stateHash FROM snapshots WHERE run = ? ORDER BY seq').all(run) as {
    seq: number;
    stateHash: string;
  }[];
}

/** The state blob of one snapshot. */
export function snapshotBlob(store: Store, run: number, seq: number): Buffer | undefined {
  return store.sqlite.prepare('SELECT state FROM snapshots WHERE run = ? AND seq = ?').pluck().get(run, seq) as Buffer | undefined;
}

/** Bytes of a run's latest snapshot blob (undefined: none). */
export function lastSnapshotSize(store: Store, run: number): number | undefined {
  return store.sqlite.prepare('SELECT length(state) FROM snapshots WHERE run = ? ORDER BY seq DESC LIMIT 1').pluck().get(run) as
    | number
    | undefined;
}

/** Seq and blob size of every snapshot of a run, in seq order. */
export function snapshotSizes(store: Store, run: number): { seq: number; bytes: number }[] {
  return store.sqlite.prepare('SELECT seq, length(state) AS bytes FROM snapshots WHERE run = ? ORDER BY seq').all(run) as {
    seq: number;
    bytes: number;
  }[];
}
