import { LabError } from '../errors.js';
import { evolve } from '../kernel/evolve.js';
import { stateHash } from '../kernel/serialize.js';
import { createState, MEMCG_STATE_NAMES, type KernelState } from '../kernel/state.js';
import { PAGE_SIZE } from '../kernel/constants.js';
import type { Store } from '../store/db.js';
import { lastSeq, readEvents } from '../store/reader.js';
import { getRun } from './runs.js';

/** Where in a run to stop. */
export interface ReplayTarget {
  seq?: number;
}

/** Rebuild the kernel state of a run as of a point in its log, through the same `evolve` that ran it. */
export function replayState(store: Store, runId: number, target: ReplayTarget = {}): KernelState {
  getRun(store, runId);
  const last = lastSeq(store.sqlite, runId);
  const seq = target.seq ?? last;
  if (!Number.isInteger(seq) || seq < 0) throw new LabError(`--seq must be a non-negative integer (got ${target.seq})`);
  if (seq > last) throw new LabError(`run ${runId} has ${last} events; --seq ${seq} is past its end`);
  const s = createState();
  for (const e of readEvents(store.sqlite, runId, 0, seq)) evolve(s, e);
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
}

export function summarize(runId: number, s: KernelState): ReplaySummary {
  const memcgs: ReplaySummary['memcgs'] = [];
  for (const m of s.memcgs.values()) {
    memcgs.push({ id: m.id, path: m.path, state: MEMCG_STATE_NAMES[m.state], current: m.memory * PAGE_SIZE });
  }
  for (const t of s.freed.values()) memcgs.push({ id: t.id, path: t.path, state: 'freed', current: 0 });
  memcgs.sort((a, b) => a.id - b.id);
  return {
    runId, seq: s.seq, tick: s.tick, cycle: s.cycle, stateHash: stateHash(s),
    nr_dying: s.memcgs.get(1)!.nrDyingDescendants, memcgs,
  };
}
