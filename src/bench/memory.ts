import { scaleCycles, scaleRun } from './scale.js';
import { atMost, type BenchContext, type BenchResult, round } from './types.js';

/**
 * memory: peak RSS of a 10,000-cycle run vs a 1,000-cycle run of the same working set
 * (experiments/scale.json), each in its own child process. Goal: ratio <= 1.5 — memory follows
 * live state, not log length. Also reports the scale run itself (time, events/s).
 */
export function benchMemory(ctx: BenchContext): BenchResult[] {
  const [small, large] = scaleCycles(ctx);
  const a = scaleRun(ctx, small);
  const b = scaleRun(ctx, large);
  const ratio = round(b.maxRssKiB / a.maxRssKiB);
  const mib = (k: number) => round(k / 1024, 1);
  return [
    {
      name: 'memory',
      value: mib(b.maxRssKiB),
      unit: 'MiB peak RSS',
      baseline: mib(a.maxRssKiB),
      ratio,
      ...atMost(ratio, 1.5),
      note: `memcglab run experiments/scale.json in a child process: ${large} cycles (${b.events} events) vs ${small} cycles (${a.events} events); maxRSS from process.resourceUsage() at exit`,
    },
    {
      name: 'scale',
      value: Math.round(b.events / (b.ms / 1000)),
      unit: 'events/s',
      baseline: Math.round(a.events / (a.ms / 1000)),
      ratio: round(b.events / b.ms / (a.events / a.ms)),
      goal: null,
      met: null,
      note: `experiments/scale.json: ${large} cycles, ${b.events} events in ${(b.ms / 1000).toFixed(1)} s wall (child process, start-up included); baseline: the ${small}-cycle run`,
    },
  ];
}
