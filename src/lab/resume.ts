import { eq } from 'drizzle-orm';
import { LabError } from '../errors.js';
import { EVENT_SCHEMA_VERSION } from '../kernel/events.js';
import type { Store } from '../store/db.js';
import { runs } from '../store/schema.js';
import { lastSnapshot } from '../store/snapshots.js';
import { truncateRunAfter } from '../store/truncate.js';
import { parseExperiment } from './experiment.js';
import { driveRun, type RunOptions, type RunResult } from './loop.js';
import { effectiveStatus, getRun } from './runs.js';
import { codeVersion } from './version.js';

/**
 * Continue an interrupted (or failed) run from its last snapshot: drop what was written after it
 * (events, snapshots, samples, memcgs marks), restore state and PRNG, and run the same loop on.
 * The result is the run an uninterrupted writer would have produced, row for row.
 */
export function resumeRun(store: Store, runId: number, opts: RunOptions = {}): RunResult {
  const from = store.sqlite.transaction(() => {
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
    const snap = lastSnapshot(store.sqlite, runId);
    const seq = snap?.seq ?? 0;
    truncateRunAfter(store.sqlite, runId, seq);
    store.db
      .update(runs)
      .set({ status: 'running', error: null, finishedAt: null, pid: process.pid, events: seq, cycles: snap?.cycle ?? 0 })
      .where(eq(runs.id, runId))
      .run();
    return { snap, exp: parseExperiment(JSON.parse(run.experiment), `run ${runId}'s experiment`) };
  }).immediate();
  return driveRun(store, runId, from.exp, from.snap, opts);
}
