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
  // quick (the CI smoke): one run per lane, start-up dominates them anyway
  const lanes = laneCeiling(ctx, sweepRuns(exp, cycles).slice(0, ctx.quick ? 2 : 6));
  const ceiling = round(lanes.parallelMs / lanes.serialMs);
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
    {
      name: 'sweep.lanes',
      value: round(lanes.parallelMs / 1000, 2),
      unit: 's wall, 2 lanes',
      baseline: round(lanes.serialMs / 1000, 2),
      ratio: ceiling,
      goal: null,
      met: null,
      note:
        `the machine's ceiling for the sweep figure: ${ctx.quick ? '2 of the' : 'the same 6'} runs as independent one-thread 'memcglab run' processes, each into its own file ` +
        '(no shared database, no writer thread), two lanes at once vs one after another; a sweep on one database cannot do much better than this ratio',
    },
  ];
}

/** The sweep's 6 runs as `run` argument lists (policy, mode, seed). */
function sweepRuns(exp: string, cycles: number): string[][] {
  const modes: string[][] = [
    ['--policy', 'legacy'],
    ['--policy', 'reparent', '--set', 'policyOptions.mglru=same-gen'],
    ['--policy', 'reparent', '--set', 'policyOptions.mglru=tail'],
  ];
  const runs: string[][] = [];
  for (const seed of [1, 2]) for (const m of modes) runs.push([exp, ...m, '--seed', String(seed), '--set', `workload.cycles=${cycles}`]);
  return runs;
}

function laneCeiling(ctx: BenchContext, runs: string[][]): { serialMs: number; parallelMs: number } {
  ctx.log(`sweep.lanes: ${runs.length} of the runs as separate processes and files, serial then 2 lanes`);
  const probe = join(ctx.root, 'dist', 'src', 'bench', 'lanes_probe.js');
  const p = spawnSync(process.execPath, [probe, ctx.cli, ctx.dir, '2', JSON.stringify(runs)], {
    cwd: ctx.root,
    encoding: 'utf8',
  });
  if (p.status !== 0) throw new Error(`lanes probe failed (${p.status}): ${p.stderr.trim().split('\n')[0]}`);
  return JSON.parse(p.stdout) as { serialMs: number; parallelMs: number };
}
