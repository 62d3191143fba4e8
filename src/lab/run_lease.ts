import { LabError } from '../errors.js';
import type { Store } from '../store/db.js';
import type { TransactionHooks } from '../store/log_writer.js';
import { renewLease } from '../store/runs.js';
import { thisHolder } from './lease.js';

/** The writer found its run held by another process: it stops without touching the run. */
export class LeaseLost extends LabError {}

/**
 * A run writer's lease checks, on the connection that writes the run: at every transaction it
 * checks that this process still holds the run (LeaseLost when another process took it over),
 * and renews the lease before every commit.
 */
export function leaseHooks(store: Store, runId: number): TransactionHooks {
  const me = thisHolder();
  return {
    onBegin: () => {
      if (!renewLease(store, runId, me, Date.now())) {
        throw new LeaseLost(`run ${runId} was taken over by another process (its lease had expired); this writer stops`);
      }
    },
    beforeCommit: () => {
      renewLease(store, runId, me, Date.now());
    },
  };
}
