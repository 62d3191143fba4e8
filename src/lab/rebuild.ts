import { LabError } from '../errors.js';
import { evolve } from '../kernel/evolve.js';
import { createState } from '../kernel/state.js';
import type { Store } from '../store/db.js';
import { parseExperiment } from './experiment.js';
import { runEvents } from './log.js';
import { RunProjections } from './projections.js';
import { effectiveStatus, getRun } from './runs.js';

export interface RebuildResult {
  runId: number;
  events: number;
  memcgs: number;
  samples: number;
}

/**
 * Regenerate a run's projections (`memcgs`, `samples`) from its events alone, folding the whole
 * log through `evolve` (samples need the state at each cycle). One transaction: all or nothing.
 */
export function rebuildProjections(store: Store, runId: number, onProgress?: (done: number, total: number) => void): RebuildResult {
  const { sqlite } = store;
  return sqlite.transaction(() => {
    const run = getRun(store, runId);
    if (effectiveStatus(run) === 'running') throw new LabError(`run ${runId} is still running (pid ${run.pid}); rebuild it once it stops`);
    const exp = parseExperiment(JSON.parse(run.experiment), `run ${runId}'s experiment`);
    sqlite.prepare('DELETE FROM memcgs WHERE run = ?').run(runId);
    sqlite.prepare('DELETE FROM samples WHERE run = ?').run(runId);
    const projections = new RunProjections(store, runId, exp);
    const s = createState();
    for (const e of runEvents(store, run)) {
      evolve(s, e);
      projections.observe(e, s);
      if (onProgress && (s.seq & 0xffff) === 0) onProgress(s.seq, run.events);
    }
    const count = (t: string) => (sqlite.prepare(`SELECT count(*) AS n FROM ${t} WHERE run = ?`).get(runId) as { n: number }).n;
    return { runId, events: s.seq, memcgs: count('memcgs'), samples: count('samples') };
  }).immediate();
}
