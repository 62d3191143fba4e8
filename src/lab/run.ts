import { EVENT_SCHEMA_VERSION } from '../kernel/events.js';
import type { Store } from '../store/db.js';
import { runs } from '../store/schema.js';
import type { Experiment } from './experiment.js';
import { driveRun, type RunOptions, type RunResult } from './loop.js';
import { codeVersion } from './version.js';

export { COMMIT_EVERY, type RunOptions, type RunResult } from './loop.js';

/** Run an experiment into the store: every mutation appended to the log as it is applied. */
export function runExperiment(store: Store, exp: Experiment, opts: RunOptions = {}): RunResult {
  const runId = store.db
    .insert(runs)
    .values({
      name: exp.name, experiment: JSON.stringify(exp), policy: exp.policy, lru: exp.machine.lru, seed: exp.seed,
      status: 'running', startedAt: new Date().toISOString(), schemaVersion: EVENT_SCHEMA_VERSION,
      codeVersion: codeVersion(), pid: process.pid,
    })
    .returning({ id: runs.id })
    .get().id;
  return driveRun(store, runId, exp, undefined, opts);
}
