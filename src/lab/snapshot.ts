import { LabError } from '../errors.js';
import { deserializeState, encodingHash } from '../kernel/serialize.js';
import type { KernelState } from '../kernel/state.js';
import type { Store } from '../store/db.js';
import { type SnapshotKey, type SnapshotRow, snapshotsAtOrBefore } from '../store/snapshots.js';
import type { Restored, RunnerState } from './runner.js';

/**
 * The one way to load a snapshot: the latest at or before `value` on `key` whose blob hashes to
 * its recorded state hash and decodes; an earlier one when it does not (damaged, or written by
 * another state encoding version); undefined when none does, and the caller folds from the empty
 * state — slower, still exact. Hashing the blob (not a re-encoding) keeps a load O(blob).
 */
export function loadSnapshot(store: Store, runId: number, key: SnapshotKey, value: number, needRunner = false): Restored | undefined {
  for (const row of snapshotsAtOrBefore(store, runId, key, value)) {
    const state = decode(row);
    if (!state) continue;
    // replay needs only the state; resume would restart the workload from a guess: refuse
    if (needRunner && (typeof row.runner !== 'object' || row.runner === null || !Array.isArray((row.runner as RunnerState).rng))) {
      throw new LabError(
        `run ${runId}'s snapshot at seq ${row.seq} has an unreadable runner state (snapshots.lab is not valid): the database is damaged; check it with memcglab verify ${runId}`,
      );
    }
    return { state, runner: row.runner as RunnerState };
  }
  return undefined;
}

function decode(row: SnapshotRow): KernelState | undefined {
  try {
    if (encodingHash(row.state) !== row.stateHash) return undefined;
    return deserializeState(row.state);
  } catch {
    return undefined;
  }
}
