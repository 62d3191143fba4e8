import { METRIC_NAMES } from '../lab/metrics.js';
import type { RunView } from '../lab/run_view.js';
import { escapeControl } from './escape.js';
import { metricsTable } from './output.js';

/** What run and resume print for people: the run, its labels, its final metrics. */
export function printRunResult(head: string, r: RunView, human = false): void {
  const tags = Object.entries(r.tags);
  const labels = tags.length ? `tags ${tags.map(([k, v]) => `${k}=${v}`).join(' ')}\n` : '';
  process.stdout.write(
    `${escapeControl(`${head}\n${labels}`, true)}${r.events} events, state ${r.stateHash?.slice(0, 16) ?? '-'}\n\n` +
      (r.metrics ? metricsTable(r.metrics, METRIC_NAMES, human) : ''),
  );
}

/** "run 3: name, policy reparent/tail, mglru LRU, seed 1" */
export function runHead(r: RunView): string {
  return `run ${r.id}: ${r.name}, policy ${r.policy}, ${r.lru} LRU, seed ${r.seed}`;
}
