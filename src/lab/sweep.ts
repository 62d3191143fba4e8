import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LabError } from '../errors.js';
import { inTransaction, type Store } from '../store/db.js';
import { allSweeps } from '../store/merge.js';
import { type RunRow, takeLease, updateRun } from '../store/runs.js';
import { findSweep, insertSweep, renewLeases, type SweepRow, sweepRuns } from '../store/sweeps.js';
import { putSweepTags, sweepTagsOf, type Tags } from '../store/tags.js';
import type { Experiment } from './experiment.js';
import { planJobs } from './jobs.js';
import { renewEveryMs, thisHolder } from './lease.js';
import { type Cell, expandMatrix, type Matrix, sweepKey } from './matrix.js';
import { recordedExperiment } from './policy_label.js';
import { type Outcome, type PoolHandlers, runPool } from './pool.js';
import { reproCommand } from './prepare.js';
import type { RunResult } from './record.js';
import { newRunRow, type RunLabels } from './run.js';
import { effectiveStatus } from './runs.js';
import { removeShard, shardPath } from './shard_run.js';
import { shardCells } from './shards.js';
import type { WorkerTask } from './sweep_worker.js';

/** A cell with the run that holds it. */
export interface PlannedRun {
  cell: Cell;
  runId: number;
}

export interface SweepPlan {
  sweep: SweepRow;
  matrix: Matrix;
  /** every cell of the matrix, in expansion order */
  cells: PlannedRun[];
  /** the ones to run now (all of them for a new sweep; what is not done for a resumed one) */
  todo: PlannedRun[];
}

/**
 * A cell's run row and the genesis of its hash chain (as `run` writes them), with this process
 * holding its lease: queued runs read as running while this process lives and renews them
 * (executeRuns), interrupted after. A worker takes the lease over when it starts the run.
 */
function newRun(store: Store, exp: Experiment, sweep: number | null, cell: number | null, labels?: RunLabels): number {
  return newRunRow(store, exp, sweep, cell, labels).runId;
}

/** A sweep's runs carry its name, tags and note (a resumed sweep's new runs too). */
function sweepLabels(store: Store, sweep: SweepRow): RunLabels {
  return { name: sweep.name, tags: sweepTagsOf(store, sweep.id), note: sweep.note };
}

/**
 * Make runs for cells that run outside any sweep (`compare <experiment>`): one run row per cell,
 * inserted in order, so run ids follow the cells whatever the number of workers.
 */
export function planLoneRuns(store: Store, cells: Cell[]): PlannedRun[] {
  return inTransaction(store, () => cells.map((cell) => ({ cell, runId: newRun(store, cell.exp, null, null) })), true);
}

/**
 * A new sweep: its row (with its tags and note) and one run row per cell, in expansion order (ids
 * follow the matrix); each run is named after the sweep and gets its tags and note. A shard's
 * sweep (matrix.shard) holds the cells of its slice only, keeping their matrix positions.
 */
export function createSweep(store: Store, name: string, matrix: Matrix, labels: { tags?: Tags; note?: string | null } = {}): SweepPlan {
  const cells = shardCells(expandMatrix(matrix), matrix.shard);
  return inTransaction(
    store,
    () => {
      const id = insertSweep(store, {
        name,
        experiment: matrix.file,
        matrix: JSON.stringify(matrix),
        created: new Date().toISOString(),
        note: labels.note ?? null,
      });
      putSweepTags(store, id, labels.tags ?? {});
      const sweep = findSweep(store, id)!;
      const runLabels = sweepLabels(store, sweep);
      const planned = cells.map((cell) => ({ cell, runId: newRun(store, cell.exp, id, cell.index, runLabels) }));
      return { sweep, matrix, cells: planned, todo: planned };
    },
    true,
  );
}

/**
 * The sweep of this database with the same name and matrix (shard aside) as `matrix`, if any: a
 * shard's sweep command run again (a resubmitted array task) resumes it instead of making another.
 */
export function findSameSweep(store: Store, name: string, matrix: Matrix): SweepRow | undefined {
  const key = sweepKey(name, matrix);
  const keyOf = (s: SweepRow) => {
    try {
      return sweepKey(s.name, JSON.parse(s.matrix) as Matrix);
    } catch {
      return undefined; // a damaged matrix matches nothing
    }
  };
  return allSweeps(store).find((s) => keyOf(s) === key);
}

export function getSweep(store: Store, id: number): SweepRow {
  if (!Number.isInteger(id) || id <= 0) throw new LabError(`sweep id must be a positive integer (got ${id})`);
  const s = findSweep(store, id);
  if (!s) throw new LabError(`no sweep ${id} in ${store.path}; list sweeps with: memcglab query "SELECT * FROM sweeps"`);
  return s;
}

/**
 * Resume a sweep: cells without a run get one, runs that are not done (interrupted, failed, or
 * queued when the sweep was killed) run again, each from its shard's last snapshot when a killed
 * worker left one. Refuses while any of its runs is still being written.
 */
export function planResume(store: Store, id: number): SweepPlan {
  return inTransaction(
    store,
    () => {
      const sweep = getSweep(store, id);
      const labels = sweepLabels(store, sweep);
      const matrix = JSON.parse(sweep.matrix) as Matrix;
      const cells = shardCells(expandMatrix(matrix), matrix.shard);
      const byCell = new Map<number, RunRow>();
      for (const r of sweepRuns(store, id)) if (r.sweepCell !== null && !byCell.has(r.sweepCell)) byCell.set(r.sweepCell, r);
      const planned: PlannedRun[] = [];
      const todo: PlannedRun[] = [];
      for (const cell of cells) {
        const r = byCell.get(cell.index);
        if (!r) {
          const p = { cell, runId: newRun(store, cell.exp, id, cell.index, labels) };
          planned.push(p);
          todo.push(p);
          continue;
        }
        const status = effectiveStatus(r) === 'running' && isZombie(r.pid) ? 'interrupted' : effectiveStatus(r);
        if (status === 'running')
          throw new LabError(`sweep ${id} is still running (run ${r.id}, pid ${r.pid}); wait for it or stop it first`);
        // as recorded: an older database's legacy runs still hold an MGLRU mode, which changes nothing
        if (asRecorded(r.experiment) !== recordedExperiment(cell.exp)) {
          throw new LabError(
            `sweep ${id}: run ${r.id} does not hold cell ${cell.index} as this memcglab expands it; rerun the sweep instead`,
          );
        }
        const p = { cell, runId: r.id };
        planned.push(p);
        // a worker killed between moving its run in and removing its shard leaves the file behind
        if (status === 'done') removeShard(shardPath(store.path, r.id));
        if (status !== 'done') {
          updateRun(store, r.id, { status: 'running', error: null, finishedAt: null });
          takeLease(store, r.id, thisHolder(), Date.now()); // queued again: ours until a worker takes it
          todo.push(p);
        }
      }
      return { sweep, matrix, cells: planned, todo };
    },
    true,
  );
}

/** A stored experiment as this memcglab records it (damaged JSON stays as it is: it matches nothing). */
function asRecorded(text: string): string {
  try {
    return recordedExperiment(JSON.parse(text));
  } catch {
    return text;
  }
}

/** A killed writer not yet reaped still answers kill(pid, 0): it is dead all the same. */
function isZombie(pid: number | null): boolean {
  try {
    return pid !== null && /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export interface ExecuteOptions {
  jobs: number;
  handlers?: PoolHandlers<RunResult>;
}

/**
 * Run planned runs on worker processes (`jobs` cores: planJobs), outcomes in the order given. One
 * worker writes straight into the database; several write shards that move in when done.
 */
export function executeRuns(
  store: Store,
  runs: PlannedRun[],
  file: string,
  baseSets: readonly string[],
  o: ExecuteOptions,
): Promise<Outcome<RunResult>[]> {
  const script = fileURLToPath(new URL('./sweep_worker.js', import.meta.url));
  const plan = planJobs(o.jobs, runs.length);
  const tasks: WorkerTask[] = runs.map(({ cell, runId }) => ({
    db: store.path,
    runId,
    exp: cell.exp,
    direct: plan.workers <= 1,
    pipeline: plan.pipeline,
    repro: reproCommand(file, cell.exp, [...baseSets, ...cell.sets]),
  }));
  // hold the queued runs' leases (a worker takes each over; renewing skips runs no longer ours)
  const me = thisHolder();
  const ids = runs.map((r) => r.runId);
  const beat = setInterval(() => {
    try {
      renewLeases(store, ids, me, Date.now());
    } catch {
      /* the database is busy: the next beat renews (well within the lease) */
    }
  }, renewEveryMs(me.leaseMs));
  return runPool<WorkerTask, RunResult>(script, tasks, plan.workers, o.handlers).finally(() => clearInterval(beat));
}
