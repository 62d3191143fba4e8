import { LabError } from '../errors.js';
import type { Store } from '../store/db.js';
import { findRun, type RunRow } from '../store/runs.js';
import { leaseHeld } from './lease.js';
import type { Metrics } from './metrics.js';

export type { RunRow } from '../store/runs.js';

export function getRun(store: Store, id: number): RunRow {
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new LabError(`run id must be a positive integer (got ${id}); list runs with: memcglab runs`);
  const r = findRun(store, id);
  if (!r) throw new LabError(`no run ${id} in ${store.path}; list runs with: memcglab runs --db ${store.path}`);
  return r;
}

/** A run whose writer died (SIGKILL, power loss) or lost its lease still says running: it is interrupted. */
export function effectiveStatus(r: RunRow): RunRow['status'] {
  if (r.status !== 'running') return r.status;
  return leaseHeld(r) ? 'running' : 'interrupted';
}

/** A run's stored final metrics (null before it is done); damaged JSON is one line naming the run. */
export function storedMetrics(r: RunRow): Metrics | null {
  if (r.metrics === null) return null;
  try {
    return JSON.parse(r.metrics) as Metrics;
  } catch (e) {
    throw new LabError(
      `run ${r.id}'s stored metrics are not valid JSON (${(e as Error).message}): the database is damaged; check it with memcglab verify ${r.id}`,
    );
  }
}

/** A run's stored experiment as JSON (for display: not validated); damaged JSON is one line naming the run. */
export function storedExperimentJson(r: RunRow): unknown {
  try {
    return JSON.parse(r.experiment);
  } catch (e) {
    throw new LabError(
      `run ${r.id}'s stored experiment (runs.experiment) is not valid JSON (${(e as Error).message}): the database is damaged`,
    );
  }
}
