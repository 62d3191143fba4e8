import { LabError } from '../errors.js';
import { EVENT_SCHEMA_VERSION } from '../kernel/events.js';
import { chainAt } from '../store/chain.js';
import { inTransaction, type Store } from '../store/db.js';
import { takeLease, updateRun } from '../store/runs.js';
import { truncateRunAfter } from '../store/truncate.js';
import { ChainWriter } from './chain.js';
import { storedExperiment } from './experiment.js';
import { describeHolder, leaseHeld, thisHolder } from './lease.js';
import { type RunOptions, type RunResult, recordRun } from './record.js';
import { getRun, type RunRow } from './runs.js';
import { loadSnapshot } from './snapshot.js';
import { checkRunTrace } from './trace_file.js';
import { codeVersion } from './version.js';

const heldError = (run: RunRow) =>
  new LabError(`run ${run.id} is running: held by ${describeHolder(run)}; wait for it, or resume it once that lease expires`);

/**
 * Continue an interrupted (or failed) run from its last good snapshot: take over its lease (only
 * an expired one), drop what was written after the snapshot (events, snapshots, chain rows,
 * samples, memcgs marks), restore state, PRNG and workload cursor, and run the same loop on. The
 * result is the run an uninterrupted writer would have produced, row for row.
 */
export function resumeRun(store: Store, runId: number, opts: RunOptions = {}): RunResult {
  // A live holder commits (and renews) often: refuse from what is committed, without waiting for its write lock.
  const seen = getRun(store, runId);
  if (leaseHeld(seen)) throw heldError(seen);
  const from = inTransaction(
    store,
    () => {
      const run = getRun(store, runId);
      if (run.status === 'done') throw new LabError(`run ${runId} is done (${run.events} events); there is nothing to resume`);
      if (leaseHeld(run)) throw heldError(run);
      if (run.schemaVersion !== EVENT_SCHEMA_VERSION || run.codeVersion !== codeVersion()) {
        throw new LabError(
          `run ${runId} was written by memcglab ${run.codeVersion} (event schema ${run.schemaVersion}); this is ${codeVersion()} ` +
            `(schema ${EVENT_SCHEMA_VERSION}), which may decide differently: rerun it instead of resuming`,
        );
      }
      const exp = storedExperiment(run);
      checkRunTrace(exp, runId);
      const snap = loadSnapshot(store, runId, 'seq', Number.MAX_SAFE_INTEGER, true);
      const seq = snap?.state.seq ?? 0;
      const link = chainAt(store, runId, seq);
      if (!link) {
        throw new LabError(
          `run ${runId} has no hash chain row at seq ${seq} (the point it would resume from); check it with memcglab verify ${runId}, or rerun it`,
        );
      }
      truncateRunAfter(store, runId, seq);
      updateRun(store, runId, { status: 'running', error: null, finishedAt: null, events: seq, cycles: snap?.state.cycle ?? 0 });
      takeLease(store, runId, thisHolder(), Date.now());
      return { snap, exp, chain: ChainWriter.from(link.row, link.prev) };
    },
    true,
  );
  return recordRun(store, runId, from.exp, from.snap, from.chain, opts);
}
