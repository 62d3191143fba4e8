import { EVENT_SCHEMA_VERSION } from '../kernel/events.js';
import type { Store } from '../store/db.js';
import { insertRun } from '../store/runs.js';
import type { Experiment } from './experiment.js';
import { recordRun, type RunOptions, type RunResult } from './record.js';
import { codeVersion } from './version.js';

export { COMMIT_EVERY, type RunOptions, type RunResult } from './record.js';

/** Run an experiment into the store: every mutation appended to the log as it is applied. */
export function runExperiment(store: Store, exp: Experiment, opts: RunOptions = {}): RunResult {
  const runId = insertRun(store, {
    name: exp.name, experiment: JSON.stringify(exp), policy: exp.policy, lru: exp.machine.lru, seed: exp.seed,
    status: 'running', startedAt: new Date().toISOString(), schemaVersion: EVENT_SCHEMA_VERSION,
    codeVersion: codeVersion(), pid: process.pid,
  });
  return recordRun(store, runId, exp, undefined, opts);
}
