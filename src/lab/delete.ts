import { LabError } from '../errors.js';
import { inTransaction, type Store } from '../store/db.js';
import { countRunRows, deleteRunRows, deleteSweepRow, perRunTables } from '../store/delete.js';
import type { RunRow } from '../store/runs.js';
import { runsByIds, sweepRuns } from '../store/sweeps.js';
import { describeHolder, leaseHeld } from './lease.js';
import { type RunView, runViews } from './run_view.js';
import { getRun } from './runs.js';
import { removeShard, shardPath } from './shard_run.js';
import { getSweep } from './sweep.js';

export interface DeletedRun {
  run: RunView;
  /** rows per table (events, snapshots, chain, samples, memcgs, run_tags, …): deleted, or that would be */
  rows: Record<string, number>;
}

export interface DeleteResult {
  dryRun: boolean;
  sweep: { id: number; name: string } | null;
  deleted: DeletedRun[];
}

export type DeleteTarget = { runs: number[] } | { sweep: number };

/**
 * Delete runs (or a sweep and all its runs) with every row they hold, in one write transaction:
 * a failure half-way (a full disk, a kill) leaves every run whole. A run whose writer still holds
 * its lease is refused, and then nothing is deleted. With `dryRun`, counts what would go.
 */
export function deleteRuns(store: Store, target: DeleteTarget, dryRun = false): DeleteResult {
  const result = inTransaction(
    store,
    () => {
      const sweep = 'sweep' in target ? getSweep(store, target.sweep) : undefined;
      const rows = sweep ? sweepRuns(store, sweep.id) : byIds(store, (target as { runs: number[] }).runs);
      for (const r of rows) {
        if (leaseHeld(r)) {
          throw new LabError(
            `run ${r.id} is running (held by ${describeHolder(r)}); nothing deleted: wait for it to end, or stop it and delete it once its lease expires`,
          );
        }
      }
      const views = runViews(store, rows, { damaged: [] });
      const tables = perRunTables(store);
      const deleted = rows.map((r, i) => ({
        run: views[i],
        rows: dryRun ? countRunRows(store, r.id, tables) : deleteRunRows(store, r.id, tables),
      }));
      if (sweep && !dryRun) deleteSweepRow(store, sweep.id);
      return { dryRun, sweep: sweep ? { id: sweep.id, name: sweep.name } : null, deleted };
    },
    true,
  );
  // a sweep worker killed mid-run leaves its shard file next to the database: it goes with its run
  if (!dryRun) for (const d of result.deleted) removeShard(shardPath(store.path, d.run.id));
  return result;
}

/** Runs by id, each once, in the order given; an unknown id is an error. */
function byIds(store: Store, ids: number[]): RunRow[] {
  const unique = [...new Set(ids)];
  for (const id of unique) getRun(store, id);
  return runsByIds(store, unique);
}
