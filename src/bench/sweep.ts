import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { timeMs } from './timing.js';
import { atMost, type BenchContext, type BenchResult, round } from './types.js';

/**
 * sweep: wall time of `memcglab sweep --jobs 2` vs `--jobs 1` over the same 6 runs (3 policies ×
 * 2 seeds of experiments/mglru-reparent.json), each a child process into a fresh database; best
 * of the rounds, interleaved. Goal: ratio <= 0.6 on 2 cores. One worker writes straight into the
 * database; several write shards that take turns moving in (one transaction each), so the
 * moves bound the gain on event-heavy runs.
 */
export function benchSweep(ctx: BenchContext): BenchResult[] {
  const cycles = ctx.quick ? 20 : 100;
  const rounds = ctx.quick ? 1 : 2;
  const exp = join(ctx.root, 'experiments', 'mglru-reparent.json');
  const best = new Map<number, number>();
  let events = 0;
  for (let r = 0; r < rounds; r++) {
    for (const jobs of [1, 2]) {
      const db = join(ctx.dir, `sweep-j${jobs}.db`);
      for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
      ctx.log(`sweep: 6 runs of ${cycles} cycles, --jobs ${jobs} (child process)`);
      const { ms, value: p } = timeMs(() =>
        spawnSync(
          process.execPath,
          [
            ctx.cli,
            'sweep',
            exp,
            '--policies',
            'legacy,same-gen,tail',
            '--seeds',
            '1,2',
            '--set',
            `workload.cycles=${cycles}`,
            '--jobs',
            String(jobs),
            '--db',
            db,
            '--json',
          ],
          { cwd: ctx.root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
        ),
      );
      if (p.status !== 0) throw new Error(`sweep --jobs ${jobs} failed (${p.status}): ${p.stderr.trim().split('\n')[0]}`);
      events = (JSON.parse(p.stdout) as { runs: { events: number }[] }).runs.reduce((a, x) => a + x.events, 0);
      best.set(jobs, Math.min(best.get(jobs) ?? Infinity, ms));
    }
  }
  const one = best.get(1)!;
  const two = best.get(2)!;
  const ratio = round(two / one);
  return [
    {
      name: 'sweep',
      value: round(two / 1000, 2),
      unit: 's wall, --jobs 2',
      baseline: round(one / 1000, 2),
      ratio,
      ...atMost(ratio, 0.6),
      note:
        `memcglab sweep experiments/mglru-reparent.json --policies legacy,same-gen,tail --seeds 1,2 --set workload.cycles=${cycles}: ` +
        `6 runs, ${events} events; --jobs 2 vs --jobs 1 wall time (child processes, start-up included), best of ${rounds}`,
    },
  ];
}
