import { METRIC_NAMES, type Metrics } from './metrics.js';
import type { RunView } from './run_view.js';

/** A finished run, as compare lines runs up: the run view with its metrics. */
export type CompareEntry = RunView & { metrics: Metrics; stateHash: string };

/** Rows = metrics (the name first), columns = runs, headed by their effective policy. */
export function compareTable(entries: readonly CompareEntry[]): { headers: string[]; rows: [string, ...unknown[]][] } {
  const headers = ['metric', ...entries.map((e) => `${e.policy} (run ${e.id})`)];
  const rows: [string, ...unknown[]][] = METRIC_NAMES.map((k) => [k, ...entries.map((e) => e.metrics[k])]);
  rows.push(['events', ...entries.map((e) => e.events)]);
  return { headers, rows };
}
