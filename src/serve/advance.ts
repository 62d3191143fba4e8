import { LabError } from '../errors.js';
import { evolve } from '../kernel/evolve.js';
import type { KernelState } from '../kernel/state.js';
import type { Store } from '../store/db.js';
import { runEvents } from '../store/reader.js';

/**
 * Move a state the server holds forward to `toSeq` through `evolve`, as replay's fold does from a
 * snapshot: dragging the scrubber forward by a few cycles then costs those cycles' events, not the
 * distance from the nearest snapshot. (lab/fold.ts starts from a snapshot or the empty state only;
 * a `start` state option there would let this loop go.)
 */
export function advance(store: Store, run: { id: number; schemaVersion: number }, s: KernelState, toSeq: number): void {
  for (const e of runEvents(store, run, s.seq, toSeq)) {
    try {
      evolve(s, e);
    } catch (err) {
      throw new LabError(
        `run ${run.id}'s log does not replay at seq ${e.seq} (${(err as Error).message}); check it with: memcglab verify ${run.id}`,
      );
    }
  }
}
