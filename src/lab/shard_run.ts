import { existsSync, rmSync } from 'node:fs';
import { LabError } from '../errors.js';
import { chainAt, putChainRow } from '../store/chain.js';
import { closeStore, inTransaction, openStore, type Store } from '../store/db.js';
import { renewLease, takeLease, updateRun } from '../store/runs.js';
import { insertRunRow, moveRunFromShard, runHasEvents, setSynchronous } from '../store/sweeps.js';
import { ChainWriter, genesisRow } from './chain.js';
import type { Experiment } from './experiment.js';
import { describeHolder, leaseHeld, renewEveryMs, thisHolder } from './lease.js';
import { LeaseLost, type RunOptions, type RunResult, recordRun } from './record.js';
import { resumeRun } from './resume.js';
import { getRun, type RunRow } from './runs.js';

/** One run of a sweep, as a worker gets it: the run row (and its chain's genesis) already exist in the main database. */
export interface ShardTask {
  runId: number;
  exp: Experiment;
  repro: string;
  /** write straight into the main database (one worker: no lock to share) instead of a shard */
  direct?: boolean;
  /** write the log on a second thread (lab/piped_writer.ts) */
  pipeline?: boolean;
}

/** Where a run is written before it moves into the main database: next to it, named by the run. */
export function shardPath(mainPath: string, runId: number): string {
  return `${mainPath}.run${runId}.shard`;
}

export function removeShard(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

/** The sweep (or compare) process that queued the run holds its lease until a worker takes it. */
function heldByOther(r: RunRow): boolean {
  return leaseHeld(r) && !(r.pid === process.ppid && r.host === thisHolder().host);
}

/**
 * Take a run's lease in the main database for this worker (from the process that queued it, or
 * from an expired holder), in one write transaction: refused while another process holds it.
 * Returns the run's genesis chain row (written now for a run queued without one).
 */
function takeRun(main: Store, runId: number) {
  return inTransaction(
    main,
    () => {
      const r = getRun(main, runId);
      if (r.status === 'done') throw new LabError(`run ${runId} is done; there is nothing to run`);
      if (heldByOther(r)) throw new LabError(`run ${runId} is running: held by ${describeHolder(r)}`);
      updateRun(main, runId, { status: 'running', error: null, finishedAt: null });
      takeLease(main, runId, thisHolder(), Date.now());
      let genesis = chainAt(main, runId, 0)?.row;
      if (!genesis) {
        genesis = genesisRow(r);
        putChainRow(main, runId, genesis);
      }
      return { row: getRun(main, runId), genesis };
    },
    true,
  );
}

/** Renew this worker's lease in the main database at most every renewEvery ms; LeaseLost once another process took the run over. */
function mainBeat(main: Store, runId: number): (now: number) => void {
  const me = thisHolder();
  const every = renewEveryMs(me.leaseMs);
  let last = Date.now();
  return (now) => {
    if (now - last < every) return;
    last = now;
    if (!renewLease(main, runId, me, now)) {
      throw new LeaseLost(`run ${runId} was taken over by another process in ${main.path} (its lease had expired); this worker stops`);
    }
  };
}

/**
 * Run (or resume) one sweep run in its own shard database, then move it into the main database in
 * one short transaction. Parallel workers thus never wait for each other's write lock while they
 * simulate; only the moves (and the lease renewals in the main database) take turns. A worker
 * killed mid-run leaves the shard behind: the next attempt resumes it from its last snapshot (as
 * `resume` does), so a killed sweep loses at most one snapshot interval per run. The shard is
 * deleted once its run is in the main database.
 *
 * The worker holds the run's lease in the main database from start to move (renewed at its
 * commits), and in the shard; the shard's run row and genesis chain row are copies of the main
 * ones, so the chain moved in verifies against the main run row. After the move the run is done
 * with no holder.
 */
export function runInShard(main: Store, task: ShardTask, opts: RunOptions = {}): RunResult {
  if (runHasEvents(main, task.runId)) return runInMain(main, task, opts); // begun by a single worker
  const path = shardPath(main.path, task.runId);
  const taken = takeRun(main, task.runId);
  const me = thisHolder();
  let shard: Store | undefined;
  try {
    const beat = { ...opts, onBeat: mainBeat(main, task.runId) };
    shard = openResumableShard(path, task.runId);
    let res: RunResult;
    const left = shard && getRun(shard, task.runId);
    if (shard && left?.status === 'done') {
      res = { runId: task.runId, events: left.events, stateHash: left.stateHash ?? '', metrics: JSON.parse(left.metrics ?? '{}') };
    } else if (shard) {
      res = resumeRun(shard, task.runId, beat);
    } else {
      removeShard(path);
      shard = openStore(path);
      setSynchronous(shard, false);
      const s = shard;
      inTransaction(
        s,
        () => {
          insertRunRow(s, { ...taken.row, startedAt: new Date().toISOString() });
          putChainRow(s, task.runId, taken.genesis);
        },
        true,
      );
      res = recordRun(shard, task.runId, task.exp, undefined, ChainWriter.from(taken.genesis, undefined), beat);
    }
    closeStore(shard);
    shard = undefined;
    if (!moveRunFromShard(main, path, task.runId, me)) {
      throw new LeaseLost(`run ${task.runId} was taken over by another process in ${main.path} before it moved in; this worker leaves it`);
    }
    removeShard(path);
    return res;
  } catch (e) {
    if (shard) closeStore(shard);
    if (!(e instanceof LeaseLost)) markFailed(main, task.runId, e);
    throw e;
  }
}

function markFailed(main: Store, runId: number, e: unknown): void {
  updateRun(main, runId, {
    status: 'failed',
    error: (e as Error).message,
    finishedAt: new Date().toISOString(),
    pid: null,
    heartbeat: null,
  });
}

/**
 * Run (or resume) one sweep run straight into the main database: what a single worker does, as
 * nothing waits for its write lock. An interrupted run resumes from its last snapshot there.
 */
export function runInMain(main: Store, task: ShardTask, opts: RunOptions = {}): RunResult {
  // a sweep killed while it had several workers left this run's shard: go on from it (and move it in)
  if (!runHasEvents(main, task.runId) && existsSync(shardPath(main.path, task.runId))) return runInShard(main, task, opts);
  const taken = takeRun(main, task.runId);
  if (runHasEvents(main, task.runId)) {
    // ours to resume: release the lease we just took so resume takes it over as from an expired writer
    updateRun(main, task.runId, { status: 'interrupted', pid: null, heartbeat: null });
    return resumeRun(main, task.runId, opts);
  }
  return recordRun(main, task.runId, task.exp, undefined, ChainWriter.from(taken.genesis, undefined), opts);
}

/** A shard left by a killed worker, holding the run interrupted (or failed) part-way: open, else undefined. */
function openResumableShard(path: string, runId: number): Store | undefined {
  if (!existsSync(path)) return undefined;
  let store: Store | undefined;
  try {
    store = openStore(path);
    setSynchronous(store, false);
    // This worker holds the run's lease in the main database: whoever wrote the shard before is
    // gone (or lost the run), so a shard run not done was interrupted.
    // (done: the worker was killed between finishing the run and moving it)
    if (getRun(store, runId).status !== 'done') updateRun(store, runId, { status: 'interrupted', pid: null, heartbeat: null });
    return store;
  } catch {
    /* unreadable: start over */
  }
  if (store) closeStore(store);
  return undefined;
}
