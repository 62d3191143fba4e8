import { Bench } from 'tinybench';

/** Wall time of fn in milliseconds (process.hrtime; benchmarks only — the core has no clocks). */
export function timeMs<T>(fn: () => T): { ms: number; value: T } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

export interface TaskSpec {
  name: string;
  fn: () => void;
  beforeEach?: () => void;
}

/**
 * Best wall time (ms) of each task over `rounds` rounds, run with tinybench. Each round runs every
 * task once, in order (one warm-up before the first), so the tasks interleave: on a machine shared
 * with other work, a slow spell hits all of them, and the best round is the least disturbed.
 */
export function bestOf(tasks: TaskSpec[], rounds: number): Map<string, number> {
  const best = new Map<string, number>();
  for (let r = 0; r < rounds; r++) {
    const bench = new Bench({ iterations: 1, time: 0, warmup: r === 0, warmupIterations: 1, warmupTime: 0, throws: true });
    // async: false — otherwise tinybench calls fn once more, outside its hooks, to find out.
    for (const t of tasks) bench.add(t.name, t.fn, { async: false, ...(t.beforeEach ? { beforeEach: t.beforeEach } : {}) });
    bench.runSync();
    for (const task of bench.tasks) {
      const res = task.result;
      if (res.state !== 'completed') throw new Error(`benchmark ${task.name} did not complete (${res.state})`);
      const ms = res.latency.min;
      best.set(task.name, Math.min(best.get(task.name) ?? Infinity, ms));
    }
  }
  return best;
}
