import { LabError } from '../errors.js';
import { EVENT_NAMES, type Event } from '../kernel/events.js';
import { evolve } from '../kernel/evolve.js';
import { checkInvariants } from '../kernel/invariants.js';
import { deserializeState, stateHash } from '../kernel/serialize.js';
import { createState, type KernelState } from '../kernel/state.js';
import type { Store } from '../store/db.js';
import { logEnd, runEvents } from './log.js';
import { effectiveStatus, getRun, type RunRow } from './runs.js';

export interface VerifyViolation {
  seq: number;
  /** the event's type name, or `snapshot` / `run` for a hash that does not match the rebuilt state */
  type: string;
  invariant: string;
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  events: number;
  stateHash: string;
  violations: VerifyViolation[];
}

export interface VerifyOptions {
  /**
   * Check the invariants after every n-th event (default 1: every event). Each check walks the
   * whole state, so big runs may take a larger n; a failed check is then narrowed down to the
   * exact event by folding again, event by event, from the last snapshot that matched.
   */
  checkEvery?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Rebuild a run from its log alone, checking the kernel invariants after every event, each
 * snapshot (its stored hash, and that its blob decodes to that hash) against the rebuilt state at
 * its seq, and the final state against the run's recorded hash and event count. Folding stops at
 * the first event that does not fit (evolve refuses it) or breaks an invariant.
 */
export function verifyRun(store: Store, runId: number, opts: VerifyOptions = {}): VerifyResult {
  const every = opts.checkEvery ?? 1;
  if (!Number.isInteger(every) || every < 1) throw new LabError(`--check-every must be a positive integer (got ${every})`);
  const run = getRun(store, runId);
  const end = logEnd(store, runId);
  const violations: VerifyViolation[] = [];
  const snapshots = store.sqlite.prepare('SELECT seq, state_hash FROM snapshots WHERE run = ? ORDER BY seq').all(runId) as {
    seq: number; state_hash: string;
  }[];
  const blob = store.sqlite.prepare('SELECT state FROM snapshots WHERE run = ? AND seq = ?').pluck();
  let next = 0; // index of the next snapshot to check
  let lastGood = 0; // seq of the last snapshot that matched the rebuilt state (0: the empty state)
  const since = () => ` (the log diverges after seq ${lastGood})`;
  const checkSnapshot = (s: KernelState) => {
    const snap = snapshots[next++];
    const rebuilt = stateHash(s);
    if (snap.state_hash !== rebuilt) {
      violations.push({ seq: snap.seq, type: 'snapshot', invariant: 'snapshot-hash', detail: `snapshot hash ${snap.state_hash} but the log rebuilds ${rebuilt}${since()}` });
      return;
    }
    let decoded: string;
    try {
      decoded = stateHash(deserializeState(blob.get(runId, snap.seq) as Buffer));
    } catch (e) {
      decoded = `an unreadable blob (${(e as Error).message})`;
    }
    if (decoded !== snap.state_hash) {
      violations.push({ seq: snap.seq, type: 'snapshot', invariant: 'snapshot-blob', detail: `snapshot blob decodes to ${decoded}, not its hash ${snap.state_hash}` });
    } else {
      lastGood = snap.seq;
    }
  };

  const s = createState();
  let broken: VerifyViolation[] = [];
  for (const e of runEvents(store, run)) {
    broken = applyChecked(s, e, e.seq % every === 0 || e.seq === end.seq);
    if (broken.length) break;
    while (next < snapshots.length && snapshots[next].seq === s.seq) checkSnapshot(s);
    if (opts.onProgress && (s.seq & 0x3fff) === 0) opts.onProgress(s.seq, end.seq);
  }
  // Unchecked events before the failure may have broken an invariant first: find the exact one.
  if (broken.length && every > 1) {
    const exact = narrowDown(store, run, lastGood, broken[0].seq);
    if (exact.length) broken = exact;
  }
  violations.push(...broken);
  if (!broken.length) {
    for (; next < snapshots.length; next++) {
      const snap = snapshots[next];
      violations.push({ seq: snap.seq, type: 'snapshot', invariant: 'snapshot-in-log', detail: `snapshot at seq ${snap.seq}, but the log ends at seq ${s.seq}` });
    }
    if (effectiveStatus(run) === 'done') {
      const hash = stateHash(s);
      if (run.events !== s.seq) violations.push({ seq: s.seq, type: 'run', invariant: 'event-count', detail: `the run recorded ${run.events} events, the log holds ${s.seq}` });
      if (run.stateHash !== hash) violations.push({ seq: s.seq, type: 'run', invariant: 'final-state-hash', detail: `the run recorded state ${run.stateHash}, the log rebuilds ${hash}${since()}` });
    }
  }
  violations.sort((a, b) => a.seq - b.seq);
  return { ok: violations.length === 0, events: s.seq, stateHash: stateHash(s), violations };
}

/** Fold (from, to] again from the snapshot at `from` with a check after every event: the first event that broke something. */
function narrowDown(store: Store, run: RunRow, from: number, to: number): VerifyViolation[] {
  const blob = from ? (store.sqlite.prepare('SELECT state FROM snapshots WHERE run = ? AND seq = ?').pluck().get(run.id, from) as Buffer) : undefined;
  const s = blob ? deserializeState(blob) : createState();
  for (const e of runEvents(store, run, from, to)) {
    const v = applyChecked(s, e, true);
    if (v.length) return v;
  }
  return [];
}

/** Apply one event; what it broke, if anything, named by its seq, type and the memcg/folio involved. */
function applyChecked(s: KernelState, e: Event, check: boolean): VerifyViolation[] {
  const type = EVENT_NAMES[e.type] ?? `type ${e.type}`;
  const where = `memcg ${e.memcg}, folio ${e.folio}, a ${e.a}, b ${e.b}`;
  try {
    evolve(s, e);
  } catch (err) {
    return [{ seq: e.seq, type, invariant: 'evolve', detail: `${(err as Error).message} (${where})` }];
  }
  if (!check) return [];
  return checkInvariants(s).map((v) => ({ seq: e.seq, type, invariant: v.invariant, detail: `${v.detail} (${where})` }));
}
