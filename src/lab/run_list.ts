import { LabError } from '../errors.js';
import type { Store } from '../store/db.js';
import { countRuns, findRuns, type RunFilter } from '../store/run_filter.js';
import type { RunRow } from '../store/runs.js';
import { labelMatches, policyLabel, policyOfExperiment } from './policy_label.js';
import { type RunView, runViews } from './run_view.js';
import { effectiveStatus } from './runs.js';

export const STATUSES = ['running', 'done', 'failed', 'interrupted'] as const;

/** What `runs` lists: the SQL filter plus what needs the lab (effective policy, effective status), and a page. */
export interface RunQuery extends RunFilter {
  /** a policy label, a policy (any mode) or an MGLRU mode alone (policy_label.ts labelMatches) */
  policy?: string;
  status?: (typeof STATUSES)[number];
  limit?: number;
  offset?: number;
}

export interface RunPage {
  /** runs in the database, and how many of them pass the filter */
  total: number;
  matched: number;
  offset: number;
  runs: RunView[];
  /** one line per run whose stored JSON is damaged (listed all the same) */
  damaged: string[];
}

export function checkStatus(v: string): (typeof STATUSES)[number] {
  if (!(STATUSES as readonly string[]).includes(v)) throw new LabError(`--status ${v}: choose one of: ${STATUSES.join(', ')}`);
  return v as (typeof STATUSES)[number];
}

/** The runs that match, oldest first, one page of them. */
export function listRuns(store: Store, q: RunQuery = {}): RunPage {
  const rows = findRuns(store, q).filter(
    (r) => (q.policy === undefined || labelMatches(labelOf(r), q.policy)) && (q.status === undefined || effectiveStatus(r) === q.status),
  );
  const offset = q.offset ?? 0;
  const damaged: string[] = [];
  const page = runViews(store, rows.slice(offset, q.limit === undefined ? undefined : offset + q.limit), { damaged });
  return { total: countRuns(store), matched: rows.length, offset, runs: page, damaged };
}

/** A row's effective policy label (its experiment read only for the MGLRU mode and the kernel). */
function labelOf(r: RunRow): string {
  let mglru: unknown;
  let kernel: unknown;
  if (r.policy === 'reparent') {
    try {
      ({ mglru, kernel } = policyOfExperiment(JSON.parse(r.experiment)));
    } catch {
      /* damaged: the listing says so; filter it as the default mode and kernel */
    }
  }
  return policyLabel({ policy: r.policy, lru: r.lru, mglru, kernel });
}
