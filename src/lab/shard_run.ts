import { existsSync, rmSync } from 'node:fs';
import { closeStore, openStore, type Store } from '../store/db.js';
import { updateRun } from '../store/runs.js';
import { insertRunRow, moveRunFromShard, runHasEvents, setSynchronous } from '../store/sweeps.js';
import type { Experiment } from './experiment.js';
import { recordRun, type RunOptions, type RunResult } from './record.js';
import { resumeRun } from './resume.js';
import { getRun } from './runs.js';

/** One run of a sweep, as a worker gets it: the run row already exists in the main database. */
export interface ShardTask {
  runId: number;
  exp: Experiment;
  repro: string;
  /** write straight into the main database (one worker: no lock to share) instead of a shard */
  direct?: boolean;
}

/** Where a run is written before it moves into the main database: next to it, named by the run. */
export function shardPath(mainPath: string, runId: number): string {
  return `${mainPath}.run${runId}.shard`;
}

function removeShard(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

/**
 * Run (or resume) one sweep run in its own shard database, then move it into the main database in
 * one short transaction. Parallel workers thus never wait for each other's write lock while they
 * simulate; only the moves take turns. A worker killed mid-run leaves the shard behind: the next
 * attempt resumes it from its last snapshot (as `resume` does), so a killed sweep loses at most
 * one snapshot interval per run. The shard is deleted once its run is in the main database.
 */
export function runInShard(main: Store, task: ShardTask, opts: RunOptions = {}): RunResult {
  if (runHasEvents(main, task.runId)) return runInMain(main, task, opts); // begun by a single worker
  const path = shardPath(main.path, task.runId);
  updateRun(main, task.runId, { pid: process.pid, status: 'running', error: null, finishedAt: null });
  let shard: Store | undefined;
  try {
    shard = openResumableShard(path, task.runId);
    let res: RunResult;
    const left = shard && getRun(shard, task.runId);
    if (shard && left?.status === 'done') {
      res = { runId: task.runId, events: left.events, stateHash: left.stateHash ?? '', metrics: JSON.parse(left.metrics ?? '{}') };
    } else if (shard) {
      res = resumeRun(shard, task.runId, opts);
    } else {
      removeShard(path);
      shard = openStore(path);
      setSynchronous(shard, false);
      insertRunRow(shard, { ...getRun(main, task.runId), pid: process.pid, status: 'running', startedAt: new Date().toISOString() });
      res = recordRun(shard, task.runId, task.exp, undefined, opts);
    }
    closeStore(shard);
    shard = undefined;
    moveRunFromShard(main, path, task.runId);
    removeShard(path);
    return res;
  } catch (e) {
    if (shard) closeStore(shard);
    updateRun(main, task.runId, { status: 'failed', error: (e as Error).message, finishedAt: new Date().toISOString(), pid: null });
    throw e;
  }
}

/**
 * Run (or resume) one sweep run straight into the main database: what a single worker does, as
 * nothing waits for its write lock. An interrupted run resumes from its last snapshot there.
 */
export function runInMain(main: Store, task: ShardTask, opts: RunOptions = {}): RunResult {
  if (runHasEvents(main, task.runId)) {
    updateRun(main, task.runId, { status: 'interrupted', pid: null }); // ours to resume: its writer is gone
    return resumeRun(main, task.runId, opts);
  }
  updateRun(main, task.runId, { pid: process.pid, status: 'running', error: null, finishedAt: null });
  return recordRun(main, task.runId, task.exp, undefined, opts);
}

/** A shard left by a killed worker, holding the run interrupted (or failed) part-way: open, else undefined. */
function openResumableShard(path: string, runId: number): Store | undefined {
  if (!existsSync(path)) return undefined;
  let store: Store | undefined;
  try {
    store = openStore(path);
    setSynchronous(store, false);
    // The sweep checked that no live process writes this run: a shard run not done was interrupted.
    // (done: the worker was killed between finishing the run and moving it)
    if (getRun(store, runId).status !== 'done') updateRun(store, runId, { status: 'interrupted', pid: null });
    return store;
  } catch {
    /* unreadable: start over */
  }
  if (store) closeStore(store);
  return undefined;
}
