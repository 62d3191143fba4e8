import { LabError } from '../errors.js';
import { EVENT_NAMES, type Event } from '../kernel/events.js';
import { checkInvariants } from '../kernel/invariants.js';
import { deserializeState, stateHash } from '../kernel/serialize.js';
import type { KernelState } from '../kernel/state.js';
import type { Store } from '../store/db.js';
import { storedMemcgRows, storedSeqRows } from '../store/projections.js';
import { logEnd } from '../store/reader.js';
import { type SnapshotRecord, snapshotBlob, snapshotRecords } from '../store/snapshots.js';
import { type SealData, sha256 } from './chain.js';
import { type Experiment, memcgSizeBytes, storedExperiment } from './experiment.js';
import { FoldError, type FoldOptions, foldRun } from './fold.js';
import { computeMetrics } from './metrics.js';
import { RunProjections } from './projections.js';
import type { RunRow } from './runs.js';
import { getRun } from './runs.js';
import { checkChain } from './verify_chain.js';
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
 * Check everything a run's record holds against its log and the log's hash chain:
 *   1. the chain: the genesis against the run's identity columns, each row's digest, each
 *      segment of event rows against its hash (a differing row is named), no gaps;
 *   2. a rebuild from the log alone, the kernel invariants checked after every (n-th) event;
 *   3. every snapshot (hash, tick, cycle, runner state) against the rebuild and the chain, and
 *      its blob against its hash;
 *   4. every projection (samples, memcgs, cycles, evictions, refaults, splices) against the rows the rebuild produces;
 *   5. the run's final columns (events, cycles, state hash, metrics, status, error) against the
 *      rebuild and the chain's end seal.
 * Any difference names the table and the row (seq, memcg id, or column of `runs`).
 */
export function verifyRun(store: Store, runId: number, opts: VerifyOptions = {}): VerifyResult {
  const every = opts.checkEvery ?? 1;
  if (!Number.isInteger(every) || every < 1) throw new LabError(`--check-every must be a positive integer (got ${every})`);
  const run = getRun(store, runId);
  const exp = storedExperiment(run);
  const projections = new ProjectionCheck((table) => storedSeqRows(store, table, runId));
  try {
    return verifyWith(store, run, exp, projections, every, opts);
  } finally {
    projections.close();
  }
}

function verifyWith(
  store: Store,
  run: RunRow,
  exp: Experiment,
  projections: ProjectionCheck,
  every: number,
  opts: VerifyOptions,
): VerifyResult {
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
  try {
    ({ s, broken } = foldChecked(
      store,
      run,
      {},
      (e) => e.seq % every === 0 || e.seq === end.seq,
      (e, s) => {
        observer.observe(e, s);
        while (next < snapshots.length && snapshots[next].seq === s.seq) checkSnapshot(s);
        if (opts.onProgress && (s.seq & 0x3fff) === 0) opts.onProgress(s.seq, end.seq);
      },
    ));
    // Unchecked events before the failure may have broken an invariant first: find the exact one,
    // checking only the events after the last check that held (the fold starts at a snapshot).
    if (broken.length && every > 1) {
      const lastHeld = Math.floor((broken[0].seq - 1) / every) * every;
      const exact = foldChecked(
        store,
        run,
        // from a snapshot at or before the last check that held (a later one may already hold the damage)
        { from: { key: 'seq', value: Math.min(lastGood, lastHeld) }, to: { key: 'seq', value: broken[0].seq } },
        (e) => e.seq > lastHeld,
      ).broken;
      if (exact.length) broken = exact;
    }
    violations.push(...broken);
    complete = !broken.length;
  } catch (e) {
    if (!(e instanceof LabError)) throw e;
    violations.push({ seq: 0, type: 'events', invariant: 'fold', detail: e.message });
    return result(chain.violations, violations, 0, '', chain.notes);
  }

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
  return result(chain.violations, violations, s.seq, stateHash(s), chain.notes);
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

/**
 * Fold with the invariants checked after the events `check` picks; stops at the first event that
 * breaks one, or that evolve refuses. `each` runs after every event that broke nothing.
 */
function foldChecked(
  store: Store,
  run: RunRow,
  range: Pick<FoldOptions, 'from' | 'to'>,
  check: (e: Event) => boolean,
  each?: (e: Event, s: KernelState) => void,
): { s: KernelState; broken: VerifyViolation[] } {
  let broken: VerifyViolation[] = [];
  try {
    const s = foldRun(store, run, {
      ...range,
      observe: (e, s) => {
        if (check(e))
          broken = checkInvariants(s).map((v) => ({
            seq: e.seq,
            type: typeName(e),
            invariant: v.invariant,
            detail: `${v.detail} (${where(e)})`,
          }));
        if (broken.length) return false;
        each?.(e, s);
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
