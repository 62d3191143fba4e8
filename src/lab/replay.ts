import { LabError } from '../errors.js';
import { PAGE_SIZE } from '../kernel/constants.js';
import { stateHash } from '../kernel/serialize.js';
import { type KernelState, MEMCG_STATE_NAMES } from '../kernel/state.js';
import type { Store } from '../store/db.js';
import { freedMemcgs } from '../store/projections.js';
import { logEnd } from '../store/reader.js';
import type { SnapshotKey } from '../store/snapshots.js';
import { foldRun } from './fold.js';
import { getRun } from './runs.js';

/** Where in a run to stop: after event `seq`, after the last event at or before `tick`, or when cycle `cycle` ended. */
export interface ReplayTarget {
  seq?: number;
  tick?: number;
  cycle?: number;
}

/**
 * Rebuild the kernel state of a run as of a point in its log, through the same `evolve` that ran
 * it: the fold from the nearest snapshot at or before the target. `label` names the target in
 * errors as the user gave it (default `--seq N`, `--tick T` or `--cycle C`).
 */
export function replayState(store: Store, runId: number, target: ReplayTarget = {}, label?: string): KernelState {
  const run = getRun(store, runId);
  const given = (['seq', 'tick', 'cycle'] as const).filter((k) => target[k] !== undefined);
  if (given.length > 1) throw new LabError(`give one of --seq, --tick, --cycle (got ${given.map((k) => `--${k}`).join(' and ')})`);
  const end = logEnd(store, runId);
  const key: SnapshotKey = given[0] ?? 'seq';
  const value = target[key] ?? end.seq;
  if (!Number.isInteger(value) || value < 0) throw new LabError(`--${key} must be a non-negative integer (got ${value})`);
  const said = label ?? `--${key} ${value}`;
  if (key === 'seq' && value > end.seq) throw new LabError(`run ${runId} has ${end.seq} events; ${said} is past its end`);
  if (key === 'tick' && value > end.tick) throw new LabError(`run ${runId} ends at tick ${end.tick}; ${said} is past its end`);
  if (key === 'cycle' && value < 1) throw new LabError('--cycle must be at least 1 (cycle C is the state right after cycle C ended)');

  let s: KernelState;
  try {
    s = foldRun(store, run, { from: { key, value }, to: { key, value } });
  } catch (err) {
    if (err instanceof LabError) throw err;
    throw new LabError(`run ${runId}'s log does not replay (${(err as Error).message}); check it with: memcglab verify ${runId}`);
  }
  if (key === 'cycle' && s.cycle !== value) throw new LabError(`run ${runId} ends after cycle ${s.cycle}; ${said} is past its end`);
  return s;
}

export interface ReplaySummary {
  runId: number;
  seq: number;
  tick: number;
  cycle: number;
  stateHash: string;
  nr_dying: number;
  memcgs: { id: number; path: string; state: 'online' | 'dying' | 'freed'; current: number }[];
  /** a get_mem_cgroup_from_folio() call in progress there (machine.concurrency.memcgGetter), when there is one */
  memcg_get?: { folio: number; memcg: number; retries: number; bound: number; held: boolean };
  /** memcg deferred split queues (machine.concurrency.thpSplitQueue runs only): split_queue_len, the folios linked */
  splitQueues?: { memcg: number; len: number; folios: number[]; reparented: boolean }[];
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
    runId,
    seq: s.seq,
    tick: s.tick,
    cycle: s.cycle,
    stateHash: stateHash(s),
    nr_dying: s.memcgs.get(1)!.nrDyingDescendants,
    memcgs,
    ...(s.memcgGet ? { memcg_get: { ...s.memcgGet } } : {}),
    ...(s.splitQueues.size
      ? { splitQueues: [...s.splitQueues].map(([memcg, q]) => ({ memcg, len: q.len, folios: [...q.folios], reparented: q.reparented })) }
      : {}),
  };
}
