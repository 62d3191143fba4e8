import { LabError } from '../errors.js';
import type { Store } from '../store/db.js';
import { allRuns, findRun, type RunRow } from '../store/runs.js';

export type { RunRow } from '../store/runs.js';

export function getRun(store: Store, id: number): RunRow {
  if (!Number.isInteger(id) || id <= 0) throw new LabError(`run id must be a positive integer (got ${id}); list runs with: memcglab runs`);
  const r = findRun(store, id);
  if (!r) throw new LabError(`no run ${id} in ${store.path}; list runs with: memcglab runs --db ${store.path}`);
  return r;
}

export function listRuns(store: Store): RunRow[] {
  return allRuns(store);
}

/** A run whose writer died (SIGKILL, power loss) still says running: report it as interrupted. */
export function effectiveStatus(r: RunRow): RunRow['status'] {
  if (r.status !== 'running' || r.pid === null) return r.status;
  try {
    process.kill(r.pid, 0); // still alive: really running
    return 'running';
  } catch {
    return 'interrupted';
  }
}
