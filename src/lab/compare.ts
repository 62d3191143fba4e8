import { LabError } from '../errors.js';
import { resolvePolicyAlias } from '../policy/policies.js';
import type { Store } from '../store/db.js';
import { type Experiment, storedExperiment } from './experiment.js';
import { METRIC_NAMES, type Metrics } from './metrics.js';
import { type RunOptions, runExperiment } from './run.js';
import { effectiveStatus, getRun, storedMetrics } from './runs.js';

export interface CompareEntry {
  runId: number;
  name: string;
  policy: string;
  lru: string;
  events: number;
  stateHash: string;
  metrics: Metrics;
}

/**
 * Run one experiment under each policy (same seed, same workload) and collect the metrics.
 * A policy may be an MGLRU reparent mode (same-gen, tail, age-order): reparent with that mode.
 */
export function comparePolicies(
  store: Store,
  exp: Experiment,
  policies: string[],
  opts: (policy: string, exp: Experiment) => RunOptions = () => ({}),
): CompareEntry[] {
  return policies.map((alias) => {
    const { policy, mglru } = resolvePolicyAlias(alias);
    const e: Experiment = { ...exp, policy, policyOptions: { ...exp.policyOptions, mglru: mglru ?? exp.policyOptions.mglru } };
    const r = runExperiment(store, e, opts(alias, e));
    return {
      runId: r.runId,
      name: e.name,
      policy: alias,
      lru: e.machine.lru,
      events: r.events,
      stateHash: r.stateHash,
      metrics: r.metrics,
    };
  });
}

/** Collect finished runs already in the database. */
export function compareRuns(store: Store, ids: number[]): CompareEntry[] {
  return ids.map((id) => {
    const r = getRun(store, id);
    const status = effectiveStatus(r);
    const exp = storedExperiment(r);
    const metrics = storedMetrics(r);
    if (status !== 'done' || !metrics || !r.stateHash) {
      const how = status === 'interrupted' ? `; finish it with: memcglab resume ${id}` : '';
      throw new LabError(`run ${id} is ${status}, not done; only finished runs can be compared${how}`);
    }
    const policy = r.policy === 'reparent' && r.lru === 'mglru' ? exp.policyOptions.mglru : r.policy;
    return { runId: r.id, name: r.name, policy, lru: r.lru, events: r.events, stateHash: r.stateHash, metrics };
  });
}

/** Rows = metrics, columns = runs. */
export function compareTable(entries: CompareEntry[]): { headers: string[]; rows: unknown[][] } {
  const headers = ['metric', ...entries.map((e) => `${e.policy} (run ${e.runId})`)];
  const rows: unknown[][] = METRIC_NAMES.map((k) => [k, ...entries.map((e) => e.metrics[k])]);
  rows.push(['events', ...entries.map((e) => e.events)]);
  return { headers, rows };
}
