import { METRIC_NAMES } from '../lab/metrics.js';
import type { RunResult } from '../lab/record.js';
import { escapeControl } from './escape.js';
import { metricsTable } from './output.js';

/** What run and resume print for people. */
export function printRunResult(head: string, res: RunResult): void {
  process.stdout.write(
    `${escapeControl(head)}\n${res.events} events, state ${res.stateHash.slice(0, 16)}\n\n${metricsTable(res.metrics, METRIC_NAMES)}`,
  );
}
