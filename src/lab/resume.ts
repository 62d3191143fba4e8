import { LabError } from '../errors.js';
import { EVENT_SCHEMA_VERSION } from '../kernel/events.js';
import { inTransaction, type Store } from '../store/db.js';
import { updateRun } from '../store/runs.js';
import { truncateRunAfter } from '../store/truncate.js';
import { parseExperiment } from './experiment.js';
import { recordRun, type RunOptions, type RunResult } from './record.js';
import { effectiveStatus, getRun } from './runs.js';
import { loadSnapshot } from './snapshot.js';
import { codeVersion } from './version.js';

/**
 * Continue an interrupted (or failed) run from its last good snapshot: drop what was written after
 * it (events, snapshots, samples, memcgs marks), restore state, PRNG and workload cursor, and run
 * the same loop on. The result is the run an uninterrupted writer would have produced, row for row.
 */
export function resumeRun(store: Store, runId: number, opts: RunOptions = {}): RunResult {
  const from = inTransaction(store, () => {
    const run = getRun(store, runId);
    const status = effectiveStatus(run);
    if (status === 'done') throw new LabError(`run ${runId} is done (${run.events} events); there is nothing to resume`);
    if (status === 'running') throw new LabError(`run ${runId} is still running (pid ${run.pid}); wait for it or stop it first`);
    if (run.schemaVersion !== EVENT_SCHEMA_VERSION || run.codeVersion !== codeVersion()) {
      throw new LabError(
        `run ${runId} was written by memcglab ${run.codeVersion} (event schema ${run.schemaVersion}); this is ${codeVersion()} ` +
          `(schema ${EVENT_SCHEMA_VERSION}), which may decide differently: rerun it instead of resuming`,
      );
    }
    const snap = loadSnapshot(store, runId, 'seq', Number.MAX_SAFE_INTEGER);
    const seq = snap?.state.seq ?? 0;
    truncateRunAfter(store, runId, seq);
    updateRun(store, runId, { status: 'running', error: null, finishedAt: null, pid: process.pid, events: seq, cycles: snap?.state.cycle ?? 0 });
    return { snap, exp: parseExperiment(JSON.parse(run.experiment), `run ${runId}'s experiment`) };
  }, true);
  return recordRun(store, runId, from.exp, from.snap, opts);
}
