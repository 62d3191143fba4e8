import { foldRun } from '../lab/fold.js';
import { getRun } from '../lab/runs.js';
import { FULL_CHECK_EVERY, verifyRun } from '../lab/verify.js';
import { recording, withStore } from './fixture.js';
import { bestOf } from './timing.js';
import { type BenchContext, type BenchResult, round } from './types.js';

/** The verify figure's goals (issue 14): every invariant after every event, at half a million events/s and 0.4× the bare fold. */
export const VERIFY_GOAL_RATIO = 0.4;
export const VERIFY_GOAL_RATE = 500_000;

/**
 * verify: events/s of a default `verify` on the recorded run — the hash chain, the fold with the
 * incremental invariant check after every event (and the full check every FULL_CHECK_EVERY events
 * and at the end), snapshots, projections and the run row — vs the bare fold of the same log.
 * Goals: ratio ≥ 0.4 and ≥ 500,000 events/s, both met for the figure to be met.
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
              const r = verifyRun(store, rec.runId);
              if (!r.ok) throw new Error(`verify bench: the recording does not verify: ${r.violations[0]?.detail}`);
              events = r.events;
            },
          },
        ],
        ctx.quick ? 2 : 3,
      );
      const rate = events / (t.get('verify')! / 1000);
      const foldRate = events / (t.get('fold')! / 1000);
      const ratio = round(rate / foldRate);
      ctx.log(`verify: ${events} events`);
      return [
        {
          name: 'verify',
          value: Math.round(rate),
          unit: 'events/s',
          baseline: Math.round(foldRate),
          ratio,
          goal: `ratio >= ${VERIFY_GOAL_RATIO} and events/s >= ${VERIFY_GOAL_RATE}`,
          met: ratio >= VERIFY_GOAL_RATIO && rate >= VERIFY_GOAL_RATE,
          note:
            `verify with every invariant checked after every event (incremental; full check every ${FULL_CHECK_EVERY} events and at the end), ` +
            `hash chain, snapshots, projections and run row vs the bare fold of the same ${events} events`,
        },
      ];
    },
    true,
  );
}
