import { replayState } from '../lab/replay.js';
import { withStore } from './fixture.js';
import { scaleCycles, scaleRun, type ScaleRun } from './scale.js';
import { timeMs } from './timing.js';
import { atMost, round, type BenchContext, type BenchResult } from './types.js';

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
  for (const [name, back] of [['point-in-time', 0], ['point-in-time.last-1', 1]] as const) {
    const ta = replayTime(ctx, a, a.events - back, 5);
    const tb = replayTime(ctx, b, b.events - back, ta * 10 > 20_000 ? 1 : 5);
    const ratio = round(tb / ta);
    out.push({
      name, value: round(tb, 1), unit: 'ms', baseline: round(ta, 1), ratio, ...atMost(ratio, 1.5),
      note:
        `replayState to ${back ? 'the seq before the last' : 'the last seq'} of a ${b.events}-event run vs a ${a.events}-event run ` +
        `(scale experiment, ${large} vs ${small} cycles), best wall time`,
    });
  }
  const blob = (r: ScaleRun) =>
    withStore(r.db, (st) => {
      const row = st.sqlite.prepare('SELECT length(state) AS n FROM snapshots WHERE run = ? ORDER BY seq DESC LIMIT 1').get(r.runId) as { n: number } | undefined;
      return row ? `${Math.round(row.n / 1024)} KiB` : 'none';
    }, true);
  out[0].note += `; last snapshot ${blob(b)} vs ${blob(a)}`;
  return out;
}

function replayTime(ctx: BenchContext, run: ScaleRun, seq: number, iterations: number): number {
  ctx.log(`point-in-time: replay a run of ${run.events} events to seq ${seq} × ${iterations}`);
  return withStore(run.db, (store) => {
    const xs: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const { ms, value: s } = timeMs(() => replayState(store, run.runId, { seq }));
      if (s.seq !== seq) throw new Error(`point-in-time: replay reached seq ${s.seq}, expected ${seq}`);
      xs.push(ms);
    }
    return Math.min(...xs);
  }, true);
}
