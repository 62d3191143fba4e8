import { LabError } from '../errors.js';
import { EVENT_SCHEMA_VERSION } from '../kernel/events.js';
import { deserializeState, stateHash } from '../kernel/serialize.js';
import type { KernelState } from '../kernel/state.js';
import type { Store } from '../store/db.js';
import { storedMemcgRows, storedSeqRows } from '../store/projections.js';
import { logEnd } from '../store/reader.js';
import { type SnapshotRecord, snapshotBlob, snapshotRecords } from '../store/snapshots.js';
import { type SealData, sha256 } from './chain.js';
import { type Experiment, memcgSizeBytes, storedExperiment } from './experiment.js';
import { computeMetrics } from './metrics.js';
import { RunProjections } from './projections.js';
import type { RunRow } from './runs.js';
import { getRun } from './runs.js';
import { checkChain } from './verify_chain.js';
import { foldChecked, narrowDown } from './verify_fold.js';
import { ProjectionCheck } from './verify_projections.js';
import { short, type VerifyViolation } from './verify_types.js';

export type { VerifyViolation } from './verify_types.js';

export interface VerifyResult {
  ok: boolean;
  events: number;
  stateHash: string;
  violations: VerifyViolation[];
  /** what verify could not check, and why (e.g. the unsealed tail of an interrupted run); absent when none */
  notes?: string[];
}

/**
 * The full check's default cadence alongside the incremental checker: one full check (O(state))
 * per million events costs well under 1% of the fold even for a state of 100,000 folios, and
 * bounds how far back a finding of the full check alone (a blind spot of the incremental
 * checker) has to be narrowed down.
 */
export const FULL_CHECK_EVERY = 1_000_000;

export interface VerifyOptions {
  /**
   * The full check (checkInvariants, which walks the whole state) after every n-th event and
   * after the last. Default: FULL_CHECK_EVERY with the incremental checker, 1 without it. A
   * failed full check that the incremental checker did not see coming is narrowed down to the
   * exact event by folding again from the last check that held.
   */
  checkEvery?: number;
  /**
   * The incremental checker after every event (default true): each event's folio, lruvec and
   * memcgs checked in O(what it touched). What it finds is confirmed by a full check there.
   * Off with checkEvery 1 (the full check after every event already covers it).
   */
  incremental?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Check everything a run's record holds against its log and the log's hash chain:
 *   1. the chain: the genesis against the run's identity columns, each row's digest, each
 *      segment of event rows against its hash (a differing row is named), no gaps;
 *   2. a rebuild from the log alone, the kernel invariants checked after every event
 *      (incrementally, with a full check every n-th event and at the end; or in full every n-th);
 *   3. every snapshot (hash, tick, cycle, runner state) against the rebuild and the chain, and
 *      its blob against its hash;
 *   4. every projection (samples, memcgs, cycles, evictions, refaults, splices) against the rows the rebuild produces;
 *   5. the run's final columns (events, cycles, state hash, metrics, status, error) against the
 *      rebuild and the chain's end seal.
 * Any difference names the table and the row (seq, memcg id, or column of `runs`).
 */
export function verifyRun(store: Store, runId: number, opts: VerifyOptions = {}): VerifyResult {
  const incremental = opts.incremental ?? true;
  const every = opts.checkEvery ?? (incremental ? FULL_CHECK_EVERY : 1);
  if (!Number.isInteger(every) || every < 1) throw new LabError(`--check-every must be a positive integer (got ${every})`);
  const run = getRun(store, runId);
  const exp = storedExperiment(run);
  const projections = new ProjectionCheck((table) => storedSeqRows(store, table, runId));
  try {
    return verifyWith(store, run, exp, projections, { full: every, incremental: incremental && every > 1 }, opts);
  } finally {
    projections.close();
  }
}

function verifyWith(
  store: Store,
  run: RunRow,
  exp: Experiment,
  projections: ProjectionCheck,
  checks: { full: number; incremental: boolean },
  opts: VerifyOptions,
): VerifyResult {
  const every = checks.full;
  const runId = run.id;
  const chain = checkChain(store, run);
  const violations: VerifyViolation[] = [];
  const end = logEnd(store, runId);
  const snapshots = snapshotRecords(store, runId);
  const observer = new RunProjections(projections, runId, exp);
  let next = 0; // index of the next snapshot to check
  let lastGood = 0; // seq of the last snapshot that matched the rebuilt state (0: the empty state)
  const since = () => ` (the log diverges after seq ${lastGood})`;
  const checkSnapshot = (s: KernelState) => {
    const snap = snapshots[next++];
    const found = snapshotViolations(store, runId, snap, s, chain.chained ? chain.seals.get(snap.seq) : undefined);
    for (const v of found) violations.push({ ...v, detail: v.invariant === 'snapshot-hash' ? v.detail + since() : v.detail });
    if (!found.length) lastGood = snap.seq;
  };

  let s: KernelState;
  let broken: VerifyViolation[];
  let complete = false;
  const notes: string[] = [];
  try {
    // The fold's read of the log feeds the chain's segment hashes too (rows as stored: only when
    // the fold does not upcast them), so verify reads the log once.
    const read = chain.segments && run.schemaVersion === EVENT_SCHEMA_VERSION ? chain.segments : null;
    const first = foldChecked(
      store,
      run,
      {},
      { full: (e) => e.seq % every === 0 || e.seq === end.seq, incremental: checks.incremental },
      {
        read: read ? (e) => read.add(e) : undefined,
        each: (e, s) => {
          observer.observe(e, s);
          while (next < snapshots.length && snapshots[next].seq === s.seq) checkSnapshot(s);
          if (opts.onProgress && (s.seq & 0x3fff) === 0) opts.onProgress(s.seq, end.seq);
        },
      },
    );
    ({ s, broken } = first);
    notes.push(...first.notes);
    // A full check found what no check before it saw: an unchecked event before it may have broken
    // the invariant first. Narrow it down from the last full check that held (the fold starts at a
    // snapshot at or before it: a later one may already hold the damage).
    if (broken.length && !first.exact && every > 1) {
      const lastHeld = Math.floor((broken[0].seq - 1) / every) * every;
      broken = narrowDown(store, run, lastGood, lastHeld, first, every).broken;
    }
    violations.push(...broken);
    complete = !broken.length;
  } catch (e) {
    if (!(e instanceof LabError)) throw e;
    violations.push({ seq: 0, type: 'events', invariant: 'fold', detail: e.message });
    chain.segments?.finish();
    return result(chain.violations, violations, 0, '', chain.notes);
  }

  chain.segments?.finish();
  if (complete) {
    for (; next < snapshots.length; next++) {
      const snap = snapshots[next];
      violations.push({
        seq: snap.seq,
        type: 'snapshot',
        invariant: 'snapshot-in-log',
        detail: `snapshots row seq ${snap.seq}, but the log ends at seq ${s.seq}`,
      });
    }
    projections.finish(storedMemcgRows(store, runId));
    violations.push(...projections.violations);
    if (chain.chained) {
      const stored = new Set(snapshots.map((x) => x.seq));
      for (const [seq, seal] of chain.seals) {
        if (seal.snapshot && !stored.has(seq)) {
          violations.push({
            seq,
            type: 'snapshot',
            invariant: 'chain',
            detail: `snapshots row seq ${seq} is missing (chain row seq ${seq} seals one there)`,
          });
        }
      }
    }
    violations.push(...finalViolations(run, s, memcgSizeBytes(exp), chain.end));
  }
  return result(chain.violations, violations, s.seq, stateHash(s), [...chain.notes, ...notes]);
}

function result(
  chainViolations: VerifyViolation[],
  others: VerifyViolation[],
  events: number,
  hash: string,
  notes: string[],
): VerifyResult {
  // What the rebuild finds first (the first event that does not fit, a snapshot that diverges),
  // then what the chain finds (it names the row that was changed, wherever it is).
  const violations = [...others.sort((a, b) => a.seq - b.seq), ...chainViolations];
  return { ok: violations.length === 0, events, stateHash: hash, violations, ...(notes.length ? { notes } : {}) };
}

/** The run's final columns against the rebuilt end state and the chain's end seal. */
function finalViolations(run: RunRow, s: KernelState, memcgSize: number, end: SealData['end']): VerifyViolation[] {
  const out: VerifyViolation[] = [];
  const col = (name: string, detail: string) =>
    out.push({ seq: s.seq, type: 'runs', invariant: name, detail: `runs.${name} of run ${run.id} ${detail}` });
  if (!end) {
    if (run.status === 'done')
      col('status', `is done, but the chain holds no end seal (the run never finished, or its status was changed)`);
    return out;
  }
  if (run.status !== end.status) col('status', `is ${short(run.status)}, but the chain sealed ${short(end.status)}`);
  if (run.error !== end.error) col('error', `is ${short(run.error)}, but the chain sealed ${short(end.error)}`);
  const hash = stateHash(s);
  const metrics = JSON.stringify(computeMetrics(s, memcgSize));
  const checks: [string, unknown, unknown, unknown][] = [
    ['events', run.events, s.seq, end.events],
    ['cycles', run.cycles, s.cycle, end.cycles],
    ['state_hash', run.stateHash, hash, end.stateHash],
    ['metrics', run.metrics, metrics, end.metrics],
  ];
  for (const [name, stored, rebuilt, sealed] of checks) {
    if (stored !== rebuilt) col(name, `is ${short(stored)}, the log rebuilds ${short(rebuilt)}`);
    else if (stored !== sealed) col(name, `is ${short(stored)}, but the chain sealed ${short(sealed)}`);
  }
  return out;
}

/** A snapshot against the rebuilt state at its seq, its chain seal and its own blob. */
function snapshotViolations(
  store: Store,
  runId: number,
  snap: SnapshotRecord,
  s: KernelState,
  seal: SealData | undefined,
): VerifyViolation[] {
  const out: VerifyViolation[] = [];
  const v = (invariant: string, detail: string) =>
    out.push({ seq: snap.seq, type: 'snapshot', invariant, detail: `snapshots row seq ${snap.seq}: ${detail}` });
  const rebuilt = stateHash(s);
  if (snap.stateHash !== rebuilt) v('snapshot-hash', `state_hash ${snap.stateHash} but the log rebuilds ${rebuilt}`);
  if (snap.tick !== s.tick) v('snapshot-tick', `tick ${snap.tick} but the log is at tick ${s.tick}`);
  if (snap.cycle !== s.cycle) v('snapshot-cycle', `cycle ${snap.cycle} but the log is after cycle ${s.cycle}`);
  try {
    JSON.parse(snap.lab);
  } catch {
    v('snapshot-lab', 'its runner state (lab) is not JSON');
  }
  if (seal === undefined) v('chain', 'it is not sealed by the chain (no chain row at its seq)');
  else if (!seal.snapshot) v('chain', 'chain row at its seq seals no snapshot');
  else {
    const want = seal.snapshot;
    if (want.tick !== snap.tick || want.cycle !== snap.cycle || want.stateHash !== snap.stateHash) {
      v(
        'chain',
        `tick/cycle/state_hash ${snap.tick}/${snap.cycle}/${snap.stateHash.slice(0, 12)} differ from the chain's seal ${want.tick}/${want.cycle}/${want.stateHash.slice(0, 12)}`,
      );
    }
    if (want.lab !== sha256(snap.lab)) v('chain', 'its runner state (lab) differs from the one the chain sealed');
  }
  if (snap.stateHash === rebuilt) {
    let decoded: string;
    try {
      decoded = stateHash(deserializeState(snapshotBlob(store, runId, snap.seq)!));
    } catch (e) {
      decoded = `an unreadable blob (${(e as Error).message})`;
    }
    if (decoded !== snap.stateHash) v('snapshot-blob', `its state blob decodes to ${decoded}, not its hash ${snap.stateHash}`);
  }
  return out;
}
