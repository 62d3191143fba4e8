import { LabError } from '../errors.js';
import { EVENT_NAMES, type Event } from '../kernel/events.js';
import { checkInvariants } from '../kernel/invariants.js';
import { deserializeState, stateHash } from '../kernel/serialize.js';
import type { KernelState } from '../kernel/state.js';
import type { Store } from '../store/db.js';
import { logEnd } from '../store/reader.js';
import { snapshotBlob, snapshotHashes } from '../store/snapshots.js';
import { FoldError, foldRun, type FoldOptions } from './fold.js';
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
  const snapshots = snapshotHashes(store, runId);
  let next = 0; // index of the next snapshot to check
  let lastGood = 0; // seq of the last snapshot that matched the rebuilt state (0: the empty state)
  const since = () => ` (the log diverges after seq ${lastGood})`;
  const checkSnapshot = (s: KernelState) => {
    const snap = snapshots[next++];
    const v = snapshotViolation(store, runId, snap, stateHash(s));
    if (v) violations.push({ ...v, detail: v.invariant === 'snapshot-hash' ? v.detail + since() : v.detail });
    else lastGood = snap.seq;
  };

  let { s, broken } = foldChecked(store, run, {}, (e) => e.seq % every === 0 || e.seq === end.seq, (s) => {
    while (next < snapshots.length && snapshots[next].seq === s.seq) checkSnapshot(s);
    if (opts.onProgress && (s.seq & 0x3fff) === 0) opts.onProgress(s.seq, end.seq);
  });
  // Unchecked events before the failure may have broken an invariant first: find the exact one.
  if (broken.length && every > 1) {
    const exact = foldChecked(store, run, { from: { key: 'seq', value: lastGood }, to: { key: 'seq', value: broken[0].seq } }, () => true).broken;
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

/** A snapshot against the state the log rebuilds at its seq: its recorded hash, and what its blob decodes to. */
function snapshotViolation(store: Store, runId: number, snap: { seq: number; stateHash: string }, rebuilt: string): VerifyViolation | undefined {
  if (snap.stateHash !== rebuilt) {
    return { seq: snap.seq, type: 'snapshot', invariant: 'snapshot-hash', detail: `snapshot hash ${snap.stateHash} but the log rebuilds ${rebuilt}` };
  }
  let decoded: string;
  try {
    decoded = stateHash(deserializeState(snapshotBlob(store, runId, snap.seq)!));
  } catch (e) {
    decoded = `an unreadable blob (${(e as Error).message})`;
  }
  if (decoded === snap.stateHash) return undefined;
  return { seq: snap.seq, type: 'snapshot', invariant: 'snapshot-blob', detail: `snapshot blob decodes to ${decoded}, not its hash ${snap.stateHash}` };
}

/**
 * Fold with the invariants checked after the events `check` picks; stops at the first event that
 * breaks one, or that evolve refuses. `each` runs after every event that broke nothing.
 */
function foldChecked(
  store: Store, run: RunRow, range: Pick<FoldOptions, 'from' | 'to'>, check: (e: Event) => boolean, each?: (s: KernelState) => void,
): { s: KernelState; broken: VerifyViolation[] } {
  let broken: VerifyViolation[] = [];
  try {
    const s = foldRun(store, run, {
      ...range,
      observe: (e, s) => {
        if (check(e)) broken = checkInvariants(s).map((v) => ({ seq: e.seq, type: typeName(e), invariant: v.invariant, detail: `${v.detail} (${where(e)})` }));
        if (broken.length) return false;
        each?.(s);
      },
    });
    return { s, broken };
  } catch (err) {
    if (!(err instanceof FoldError)) throw err;
    const e = err.event;
    return { s: err.state, broken: [{ seq: e.seq, type: typeName(e), invariant: 'evolve', detail: `${err.message} (${where(e)})` }] };
  }
}

const typeName = (e: Event) => EVENT_NAMES[e.type] ?? `type ${e.type}`;
const where = (e: Event) => `memcg ${e.memcg}, folio ${e.folio}, a ${e.a}, b ${e.b}`;
