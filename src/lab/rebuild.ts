import { LabError } from '../errors.js';
import { inTransaction, type Store } from '../store/db.js';
import { clearProjections, projectionCounts, StoreProjectionSink } from '../store/projections.js';
import { storedExperiment } from './experiment.js';
import { foldRun } from './fold.js';
import { describeHolder } from './lease.js';
import { RunProjections } from './projections.js';
import { effectiveStatus, getRun } from './runs.js';

export interface RebuildResult {
  runId: number;
  events: number;
  memcgs: number;
  samples: number;
  cycles: number;
  evictions: number;
  refaults: number;
  splices: number;
}

/**
 * Regenerate a run's projections (memcgs, samples, cycles, evictions, refaults, splices) from its events alone, folding the whole
 * log through `evolve` (samples need the state at each cycle). One transaction: all or nothing.
 */
export function rebuildProjections(store: Store, runId: number, onProgress?: (done: number, total: number) => void): RebuildResult {
  return inTransaction(
    store,
    () => {
      const run = getRun(store, runId);
      if (effectiveStatus(run) === 'running')
        throw new LabError(`run ${runId} is still running (held by ${describeHolder(run)}); rebuild it once it stops`);
      const exp = storedExperiment(run);
      clearProjections(store, runId);
      const projections = new RunProjections(new StoreProjectionSink(store), runId, exp);
      const s = foldRun(store, run, {
        observe: (e, s) => {
          projections.observe(e, s);
          if (onProgress && (s.seq & 0xffff) === 0) onProgress(s.seq, run.events);
        },
      });
      return { runId, events: s.seq, ...projectionCounts(store, runId) };
    },
    true,
  );
}
