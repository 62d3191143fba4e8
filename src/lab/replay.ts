import { LabError } from '../errors.js';
import { EventType } from '../kernel/events.js';
import { evolve } from '../kernel/evolve.js';
import { deserializeState, encodingHash, stateHash } from '../kernel/serialize.js';
import { createState, MEMCG_STATE_NAMES, type KernelState } from '../kernel/state.js';
import { PAGE_SIZE } from '../kernel/constants.js';
import type { Store } from '../store/db.js';
import { nearestSnapshot, type SnapshotKey, type SnapshotRow } from '../store/snapshots.js';
import { logEnd, runEvents } from './log.js';
import { getRun } from './runs.js';

/** Where in a run to stop: after event `seq`, after the last event at or before `tick`, or when cycle `cycle` ended. */
export interface ReplayTarget {
  seq?: number;
  tick?: number;
  cycle?: number;
}

/**
 * Rebuild the kernel state of a run as of a point in its log, through the same `evolve` that ran
 * it: start from the nearest snapshot at or before the target and fold the events after it, so the
 * cost is bounded by the snapshot interval, not by the target's seq.
 */
export function replayState(store: Store, runId: number, target: ReplayTarget = {}): KernelState {
  const run = getRun(store, runId);
  const given = (['seq', 'tick', 'cycle'] as const).filter((k) => target[k] !== undefined);
  if (given.length > 1) throw new LabError(`give one of --seq, --tick, --cycle (got ${given.map((k) => `--${k}`).join(' and ')})`);
  const end = logEnd(store, runId);
  const key: SnapshotKey = given[0] ?? 'seq';
  const value = target[key] ?? end.seq;
  if (!Number.isInteger(value) || value < 0) throw new LabError(`--${key} must be a non-negative integer (got ${value})`);
  if (key === 'seq' && value > end.seq) throw new LabError(`run ${runId} has ${end.seq} events; --seq ${value} is past its end`);
  if (key === 'tick' && value > end.tick) throw new LabError(`run ${runId} ends at tick ${end.tick}; --tick ${value} is past its end`);
  if (key === 'cycle' && value < 1) throw new LabError('--cycle must be at least 1 (cycle C is the state right after cycle C ended)');

  const snap = nearestSnapshot(store.sqlite, runId, key, value);
  const s = (snap && restore(snap)) || createState();
  if (key === 'cycle' && s.cycle === value) return s;
  try {
    for (const e of runEvents(store, run, s.seq, key === 'seq' ? value : undefined)) {
      if (key === 'tick' && e.tick > value) return s;
      evolve(s, e);
      if (key === 'cycle' && e.type === EventType.cycle && e.a === value) return s;
    }
  } catch (err) {
    if (err instanceof LabError) throw err;
    throw new LabError(`run ${runId}'s log does not replay (${(err as Error).message}); check it with: memcglab verify ${runId}`);
  }
  if (key === 'cycle') throw new LabError(`run ${runId} ends after cycle ${s.cycle}; --cycle ${value} is past its end`);
  return s;
}

/**
 * A snapshot's state, or undefined when its blob does not hash to its recorded state hash
 * (damaged) or does not decode (another state encoding version wrote it): replay then folds from
 * the start, slower but still exact. Hashing the blob (not a re-encoding) keeps a load O(blob).
 */
function restore(snap: SnapshotRow): KernelState | undefined {
  try {
    if (encodingHash(snap.state) !== snap.stateHash) return undefined;
    return deserializeState(snap.state);
  } catch {
    return undefined;
  }
}

/** Memcgs of a run freed at or before `seq`, from the projection. */
export function freedMemcgs(store: Store, runId: number, seq: number): { id: number; path: string }[] {
  return store.sqlite
    .prepare('SELECT id, path FROM memcgs WHERE run = ? AND freed_seq IS NOT NULL AND freed_seq <= ? ORDER BY id')
    .all(runId, seq) as { id: number; path: string }[];
}

export interface ReplaySummary {
  runId: number;
  seq: number;
  tick: number;
  cycle: number;
  stateHash: string;
  nr_dying: number;
  memcgs: { id: number; path: string; state: 'online' | 'dying' | 'freed'; current: number }[];
}

/**
 * The replay contract: live memcgs from the state; freed ones (which the state no longer holds, so
 * its size follows live memcgs, not history) from the `memcgs` projection, as of the same seq.
 */
export function summarize(store: Store, runId: number, s: KernelState): ReplaySummary {
  const memcgs: ReplaySummary['memcgs'] = [];
  for (const m of s.memcgs.values()) {
    memcgs.push({ id: m.id, path: m.path, state: MEMCG_STATE_NAMES[m.state], current: m.memory * PAGE_SIZE });
  }
  for (const t of freedMemcgs(store, runId, s.seq)) memcgs.push({ id: t.id, path: t.path, state: 'freed', current: 0 });
  memcgs.sort((a, b) => a.id - b.id);
  return {
    runId, seq: s.seq, tick: s.tick, cycle: s.cycle, stateHash: stateHash(s),
    nr_dying: s.memcgs.get(1)!.nrDyingDescendants, memcgs,
  };
}
