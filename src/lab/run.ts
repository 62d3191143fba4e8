import { EVENT_SCHEMA_VERSION } from '../kernel/events.js';
import { type ChainRow, putChainRow } from '../store/chain.js';
import { inTransaction, type Store } from '../store/db.js';
import { findRun, insertRun, takeLease } from '../store/runs.js';
import { putRunTags, type Tags } from '../store/tags.js';
import { ChainWriter, genesisRow } from './chain.js';
import type { Experiment } from './experiment.js';
import { thisHolder } from './lease.js';
import { recordedExperiment } from './policy_label.js';
import { type RunOptions, type RunResult, recordRun } from './record.js';
import { codeVersion } from './version.js';

export { COMMIT_EVERY, type RunOptions, type RunResult } from './record.js';

/**
 * What a user calls a run (`--name`, `--tag`, `--note`). The name is part of the run's identity
 * (sealed by its chain); tags and note are labels beside the record, not sealed.
 */
export interface RunLabels {
  /** default: the experiment's name */
  name?: string;
  tags?: Tags;
  note?: string | null;
}

/** Run an experiment into the store: every mutation appended to the log as it is applied. */
export function runExperiment(store: Store, exp: Experiment, opts: RunOptions = {}, labels: RunLabels = {}): RunResult {
  const genesis = inTransaction(store, () => newRunRow(store, exp, null, null, labels), true);
  opts.onStart?.(genesis.runId);
  return recordRun(store, genesis.runId, exp, undefined, ChainWriter.from(genesis.row, undefined), opts);
}

/**
 * A new run of `exp` (in the caller's transaction): its row (and tags), held by this process's
 * lease, and the genesis row of its hash chain; a sweep's run also records its sweep and cell.
 */
export function newRunRow(
  store: Store,
  exp: Experiment,
  sweep: number | null = null,
  sweepCell: number | null = null,
  labels: RunLabels = {},
): { runId: number; row: ChainRow } {
  const runId = insertRun(store, {
    name: labels.name ?? exp.name,
    experiment: recordedExperiment(exp),
    policy: exp.policy,
    lru: exp.machine.lru,
    seed: exp.seed,
    status: 'running',
    startedAt: new Date().toISOString(),
    schemaVersion: EVENT_SCHEMA_VERSION,
    codeVersion: codeVersion(),
    sweep,
    sweepCell,
    note: labels.note ?? null,
  });
  putRunTags(store, runId, labels.tags ?? {});
  takeLease(store, runId, thisHolder(), Date.now());
  const row = genesisRow(findRun(store, runId)!);
  putChainRow(store, runId, row);
  return { runId, row };
}
