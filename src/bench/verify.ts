import { foldRun } from '../lab/fold.js';
import { getRun } from '../lab/runs.js';
import { verifyRun } from '../lab/verify.js';
import { recording, withStore } from './fixture.js';
import { bestOf } from './timing.js';
import { type BenchContext, type BenchResult, round } from './types.js';

/**
 * verify: events/s of `verify --check-every <n>` on the recorded run (the hash chain, the fold,
 * snapshots, projections and the run row all checked; invariants every 100k events so the figure
 * is about the record, not the invariant walks) vs the bare fold of the same log. Informational:
 * the ratio says what checking the record costs on top of replaying it.
 */
export function benchVerify(ctx: BenchContext): BenchResult[] {
  const rec = recording(ctx);
  return withStore(
    rec.path,
    (store) => {
      const run = getRun(store, rec.runId);
      let events = 0;
      const t = bestOf(
        [
          { name: 'fold', fn: () => void foldRun(store, run) },
          {
            name: 'verify',
            fn: () => {
              const r = verifyRun(store, rec.runId, { checkEvery: 100_000 });
              if (!r.ok) throw new Error(`verify bench: the recording does not verify: ${r.violations[0]?.detail}`);
              events = r.events;
            },
          },
        ],
        ctx.quick ? 2 : 3,
      );
      const rate = events / (t.get('verify')! / 1000);
      const foldRate = events / (t.get('fold')! / 1000);
      ctx.log(`verify: ${events} events`);
      return [
        {
          name: 'verify',
          value: Math.round(rate),
          unit: 'events/s',
          baseline: Math.round(foldRate),
          ratio: round(rate / foldRate),
          goal: null,
          met: null,
          note: `verify --check-every 100000 (chain + rebuild + snapshots + projections + run row) vs the bare fold of the same ${events} events`,
        },
      ];
    },
    true,
  );
}
