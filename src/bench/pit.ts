import { replayState } from '../lab/replay.js';
import type { Store } from '../store/db.js';
import { snapshotSizes } from '../store/snapshots.js';
import { withStore } from './fixture.js';
import { type ScaleRun, scaleRun } from './scale.js';
import { timeMs } from './timing.js';
import { atMost, type BenchContext, type BenchResult, round } from './types.js';

/** A snapshot the replay starts from, and its size. */
interface Point {
  snapshot: number;
  bytes: number;
}

/** The point-in-time run: the scale experiment on 2 MiB, whose state (folios and the shadows kept for them) stops growing within its first tenth. */
export const PIT_MEMORY = '2MiB';
export function pitCycles(ctx: BenchContext): number {
  return ctx.quick ? 500 : 5000;
}

/**
 * point-in-time: the cost of "the state at seq S" must not grow with S. Both points are in one
 * run of the scale experiment on 2 MiB (~10 M events; quick: ~1 M): the live state is the same
 * size and only the log before them differs: an early point (the first snapshot at or after a tenth of the log
 * whose state is within 10 % of the last one's size: past the steady state) and a late one (the
 * last snapshot before the end), each replayed to its snapshot seq plus the same offset (half the
 * shorter snapshot interval after them), so the fold work matches too. Goal: late / early <= 1.5.
 * The second figure replays to the snapshot seqs themselves (a load, no events).
 */
export function benchPointInTime(ctx: BenchContext): BenchResult[] {
  const cycles = pitCycles(ctx);
  const run = scaleRun(ctx, cycles, PIT_MEMORY);
  const [early, late, offset] = withStore(run.db, (st) => points(st, run), true);
  const out: BenchResult[] = [];
  for (const [name, off] of [
    ['point-in-time', offset],
    ['point-in-time.snapshot', 0],
  ] as const) {
    const [te, tl] = replayTimes(ctx, run, early.snapshot + off, late.snapshot + off);
    const ratio = round(tl / te);
    out.push({
      name,
      value: round(tl, 1),
      unit: 'ms',
      baseline: round(te, 1),
      ratio,
      ...atMost(ratio, 1.5),
      note:
        `replayState to seq ${(late.snapshot + off).toLocaleString('en-US')} vs seq ${(early.snapshot + off).toLocaleString('en-US')} ` +
        `of one ${run.events.toLocaleString('en-US')}-event run (scale experiment, ${cycles} cycles on ${PIT_MEMORY}): ` +
        `${off ? `${off.toLocaleString('en-US')} events after` : 'exactly at'} a snapshot of ` +
        `${kib(late.bytes)} vs ${kib(early.bytes)}, best wall time`,
    });
  }
  return out;
}

const kib = (n: number) => `${Math.round(n / 1024)} KiB`;

/** The early and late snapshots (equal live state, a tenth and all of the log) and the common offset. */
function points(st: Store, run: ScaleRun): [Point, Point, number] {
  const snaps = snapshotSizes(st, run.runId).filter((s) => s.seq < run.events); // not the final one
  if (snaps.length < 3) throw new Error(`point-in-time: the scale run has ${snaps.length} snapshots before its end; need 3`);
  const lateIdx = snaps.length - 1;
  const late = snaps[lateIdx];
  const earlyIdx = snaps.findIndex((s, i) => i < lateIdx && s.seq >= run.events / 10 && Math.abs(s.bytes - late.bytes) <= late.bytes / 10);
  if (earlyIdx < 0) throw new Error('point-in-time: no snapshot in the first 90 % of the log is within 10 % of the last one in size');
  const early = snaps[earlyIdx];
  const gap = (i: number) => (i + 1 < snaps.length ? snaps[i + 1].seq : run.events) - snaps[i].seq;
  const offset = Math.floor(Math.min(gap(earlyIdx), gap(lateIdx)) / 2);
  const p = (s: { seq: number; bytes: number }): Point => ({ snapshot: s.seq, bytes: s.bytes });
  return [p(early), p(late), offset];
}

/**
 * Best wall time of replayState to each seq, the two measured in alternation so that JIT warm-up
 * and GC pauses fall on both alike.
 */
function replayTimes(ctx: BenchContext, run: ScaleRun, a: number, b: number): [number, number] {
  ctx.log(`point-in-time: replay run of ${run.events} events to seq ${a} and seq ${b}, alternating`);
  return withStore(
    run.db,
    (st) => {
      const best = [Infinity, Infinity];
      const rounds = ctx.quick ? 7 : 15;
      for (let i = 0; i < rounds; i++) {
        for (const [k, seq] of [
          [0, a],
          [1, b],
        ] as const) {
          const { ms, value: s } = timeMs(() => replayState(st, run.runId, { seq }));
          if (s.seq !== seq) throw new Error(`point-in-time: replay reached seq ${s.seq}, expected ${seq}`);
          best[k] = Math.min(best[k], ms);
        }
        if (best[0] * rounds > 20_000) break; // a slow machine: enough
      }
      return [best[0], best[1]] as [number, number];
    },
    true,
  );
}
