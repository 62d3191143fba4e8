import { LabError } from '../errors.js';
import type { Store } from '../store/db.js';
import type { Experiment } from './experiment.js';
import { METRIC_NAMES, type Metrics } from './metrics.js';
import { runExperiment, type RunOptions } from './run.js';
import { getRun } from './runs.js';

export interface CompareEntry {
  runId: number;
  policy: string;
  lru: string;
  events: number;
  stateHash: string;
  metrics: Metrics;
}

/** Run one experiment under each policy (same seed, same workload) and collect the metrics. */
export function comparePolicies(
  store: Store, exp: Experiment, policies: string[], opts: (policy: string) => RunOptions = () => ({}),
): CompareEntry[] {
  return policies.map((policy) => {
    const e = { ...exp, policy } as Experiment;
    const r = runExperiment(store, e, opts(policy));
    return { runId: r.runId, policy, lru: e.machine.lru, events: r.events, stateHash: r.stateHash, metrics: r.metrics };
  });
}

/** Collect finished runs already in the database. */
export function compareRuns(store: Store, ids: number[]): CompareEntry[] {
  return ids.map((id) => {
    const r = getRun(store, id);
    if (r.status !== 'done' || !r.metrics || !r.stateHash) throw new LabError(`run ${id} is ${r.status}, not done; only finished runs can be compared`);
    return { runId: r.id, policy: r.policy, lru: r.lru, events: r.events, stateHash: r.stateHash, metrics: JSON.parse(r.metrics) };
  });
}

/** Rows = metrics, columns = runs. */
export function compareTable(entries: CompareEntry[]): { headers: string[]; rows: unknown[][] } {
  const headers = ['metric', ...entries.map((e) => `${e.policy} (run ${e.runId})`)];
  const rows: unknown[][] = METRIC_NAMES.map((k) => [k, ...entries.map((e) => e.metrics[k])]);
  rows.push(['events', ...entries.map((e) => e.events)]);
  return { headers, rows };
}
