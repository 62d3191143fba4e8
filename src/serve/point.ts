import { LabError } from '../errors.js';
import type { KernelState } from '../kernel/state.js';
import { storedExperiment } from '../lab/experiment.js';
import { type ReplayTarget, replayState } from '../lab/replay.js';
import { getRun } from '../lab/runs.js';
import type { Store } from '../store/db.js';
import { logEnd } from '../store/reader.js';
import type { RunRow } from '../store/runs.js';
import { cycleEndSeq, snapshotSeqAtOrBefore } from '../store/serve.js';
import { advance } from './advance.js';

/** A run's state at one point, with what the views need from its experiment. */
export interface PointState {
  run: RunRow;
  s: KernelState;
  msPerTick: number;
  /** the run's last seq (the scrubber's end) */
  endSeq: number;
}

/**
 * The states the server replayed last, by run and seq. Moving the scrubber asks for the tree and
 * then for the cgroup clicked at the same point: the second request finds the state here. A drag
 * forward moves the nearest held state on (lab's fold from it) when that is closer than the
 * nearest snapshot. A state is read, never changed, while it answers a request (requests run one
 * at a time: the store is synchronous); one moved forward leaves the cache under its old seq.
 */
export class PointCache {
  private readonly entries = new Map<string, PointState>();
  private readonly msPerTick = new Map<number, number>();

  constructor(
    private readonly store: Store,
    private readonly size = 6,
  ) {}

  at(runId: number, target: ReplayTarget, label?: string): PointState {
    const run = getRun(this.store, runId);
    const endSeq = logEnd(this.store, runId).seq;
    const seq = this.seqOf(runId, target, endSeq, label);
    if (seq === undefined)
      return this.keep(`${runId}:${JSON.stringify(target)}`, run, replayState(this.store, runId, target, label), endSeq);
    const key = `${runId}:${seq}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key); // most recently used last
      this.entries.set(key, hit);
      return hit;
    }
    const from = this.nearestBefore(runId, seq);
    if (from && seq - from[1].s.seq < seq - snapshotSeqAtOrBefore(this.store, runId, seq)) {
      this.entries.delete(from[0]);
      advance(this.store, run, from[1].s, seq);
      return this.keep(key, run, from[1].s, endSeq);
    }
    return this.keep(key, run, replayState(this.store, runId, { seq }, label), endSeq);
  }

  /** Seq and tick of the run's last event (asked each time: a run being written grows). */
  end(runId: number): { seq: number; tick: number } {
    return logEnd(this.store, runId);
  }

  /**
   * The seq a target names: a seq as given (checked against the log's end), a cycle's end from the
   * cycles projection; undefined for a tick (and a cycle the projection lacks): replay resolves it.
   */
  private seqOf(runId: number, t: ReplayTarget, endSeq: number, label?: string): number | undefined {
    if (t.tick !== undefined) return undefined;
    if (t.cycle !== undefined) return t.cycle >= 1 ? cycleEndSeq(this.store, runId, t.cycle) : undefined;
    const seq = t.seq ?? endSeq;
    if (seq > endSeq) throw new LabError(`run ${runId} has ${endSeq} events; ${label ?? `seq ${seq}`} is past its end`);
    return seq;
  }

  /** The held state of the run with the largest seq at or before `seq`. */
  private nearestBefore(runId: number, seq: number): [string, PointState] | undefined {
    let best: [string, PointState] | undefined;
    for (const e of this.entries) {
      const p = e[1];
      if (p.run.id === runId && p.s.seq <= seq && (!best || p.s.seq > best[1].s.seq)) best = e;
    }
    return best;
  }

  private keep(key: string, run: RunRow, s: KernelState, endSeq: number): PointState {
    const p: PointState = { run, s, msPerTick: this.tickLength(run), endSeq };
    this.entries.set(key, p);
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
    return p;
  }

  /** machine.msPerTick of a run's experiment (parsed once per run: the scrubber asks often). */
  private tickLength(run: RunRow): number {
    let ms = this.msPerTick.get(run.id);
    if (ms === undefined) {
      ms = storedExperiment(run).machine.msPerTick ?? 1;
      this.msPerTick.set(run.id, ms);
    }
    return ms;
  }
}
