import { EVENT_SCHEMA_VERSION } from '../kernel/events.js';
import { type ChainRow, putChainRow } from '../store/chain.js';
import { inTransaction, type Store } from '../store/db.js';
import { findRun, insertRun, takeLease } from '../store/runs.js';
import { ChainWriter, genesisRow } from './chain.js';
import type { Experiment } from './experiment.js';
import { thisHolder } from './lease.js';
import { type RunOptions, type RunResult, recordRun } from './record.js';
import { codeVersion } from './version.js';

export { COMMIT_EVERY, type RunOptions, type RunResult } from './record.js';

/** Run an experiment into the store: every mutation appended to the log as it is applied. */
export function runExperiment(store: Store, exp: Experiment, opts: RunOptions = {}): RunResult {
  const genesis = inTransaction(store, () => newRunRow(store, exp), true);
  return recordRun(store, genesis.runId, exp, undefined, ChainWriter.from(genesis.row, undefined), opts);
}

/**
 * A new run of `exp` (in the caller's transaction): its row, held by this process's lease, and the
 * genesis row of its hash chain; a sweep's run also records its sweep and cell.
 */
export function newRunRow(
  store: Store,
  exp: Experiment,
  sweep: number | null = null,
  sweepCell: number | null = null,
): { runId: number; row: ChainRow } {
  const runId = insertRun(store, {
    name: exp.name,
    experiment: JSON.stringify(exp),
    policy: exp.policy,
    lru: exp.machine.lru,
    seed: exp.seed,
    status: 'running',
    startedAt: new Date().toISOString(),
    schemaVersion: EVENT_SCHEMA_VERSION,
    codeVersion: codeVersion(),
    sweep,
    sweepCell,
  });
  takeLease(store, runId, thisHolder(), Date.now());
  const row = genesisRow(findRun(store, runId)!);
  putChainRow(store, runId, row);
  return { runId, row };
}
