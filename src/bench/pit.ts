import { replayState } from '../lab/replay.js';
import { lastSnapshotSize } from '../store/snapshots.js';
import { withStore } from './fixture.js';
import { type ScaleRun, scaleCycles, scaleRun } from './scale.js';
import { timeMs } from './timing.js';
import { atMost, type BenchContext, type BenchResult, round } from './types.js';

/**
 * point-in-time: replayState to the last seq of a ~2M-event run vs a ~20M-event run (the two
 * scale runs; quick: ~0.1M vs ~1M). Goal: ratio <= 1.5 — with snapshots, the cost of "state at
 * seq S" is bounded by the snapshot interval, not by S.
 */
export function benchPointInTime(ctx: BenchContext): BenchResult[] {
  const [small, large] = scaleCycles(ctx);
  const a = scaleRun(ctx, small);
  const b = scaleRun(ctx, large);
  const out: BenchResult[] = [];
  // The last seq (the figure; a final snapshot may make it a plain load), and the seq just
  // before it: the nearest earlier snapshot plus up to one snapshot interval of events.
  for (const [name, back] of [
    ['point-in-time', 0],
    ['point-in-time.last-1', 1],
  ] as const) {
    const [ta, tb] = replayTimes(ctx, a, b, back);
    const ratio = round(tb / ta);
    out.push({
      name,
      value: round(tb, 1),
      unit: 'ms',
      baseline: round(ta, 1),
      ratio,
      ...atMost(ratio, 1.5),
      note:
        `replayState to ${back ? 'the seq before the last' : 'the last seq'} of a ${b.events}-event run vs a ${a.events}-event run ` +
        `(scale experiment, ${large} vs ${small} cycles), best wall time`,
    });
  }
  const blob = (r: ScaleRun) =>
    withStore(
      r.db,
      (st) => {
        const n = lastSnapshotSize(st, r.runId);
        return n === undefined ? 'none' : `${Math.round(n / 1024)} KiB`;
      },
      true,
    );
  out[0].note += `; last snapshot ${blob(b)} vs ${blob(a)}`;
  return out;
}

/**
 * Best wall time of replayState to `events - back` in each run, the two measured in alternation
 * (a, b, a, b, …) so that JIT warm-up and GC pauses fall on both alike: a few-millisecond figure is
 * otherwise dominated by which of the two happened to go first.
 */
function replayTimes(ctx: BenchContext, a: ScaleRun, b: ScaleRun, back: number): [number, number] {
  ctx.log(`point-in-time: replay runs of ${a.events} and ${b.events} events to their last seq - ${back}, alternating`);
  return withStore(
    a.db,
    (sa) =>
      withStore(
        b.db,
        (sb) => {
          const best = [Infinity, Infinity];
          const rounds = ctx.quick ? 5 : 15;
          for (let i = 0; i < rounds; i++) {
            for (const [k, store, run] of [
              [0, sa, a],
              [1, sb, b],
            ] as const) {
              const seq = run.events - back;
              const { ms, value: s } = timeMs(() => replayState(store, run.runId, { seq }));
              if (s.seq !== seq) throw new Error(`point-in-time: replay reached seq ${s.seq}, expected ${seq}`);
              best[k] = Math.min(best[k], ms);
            }
            if (best[0] * rounds > 20_000) break; // a slow machine: enough
          }
          return [best[0], best[1]] as [number, number];
        },
        true,
      ),
    true,
  );
}
