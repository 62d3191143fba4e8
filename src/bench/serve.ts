import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type ScaleRun, scaleCycles, scaleRun } from './scale.js';
import { atMost, type BenchContext, type BenchResult, round } from './types.js';

/** The order statistic at fraction q of sorted values (nearest rank). */
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** A seeded sequence in [0, 1) (the bench's positions are the same every time). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/**
 * serve: what the timeline's scrubber costs, through the HTTP API of a `memcglab serve` child on
 * the scale run (experiments/scale.json, 10,000 cycles: ~20 M events; quick: 500). `serve.scrub`
 * is a drag: 200 positions forward from the middle of the run, one per pixel of a 1,000-pixel
 * scrubber (cycles/1000 cycles apart), each answered with the cgroup tree there
 * (GET /api/runs/<id>/tree?cycle=c). Goal: median <= 100 ms. `serve.seek` jumps to 40 seeded random
 * seqs (each a replay from the nearest snapshot; informational: it grows with the snapshot interval).
 */
export function benchServe(ctx: BenchContext): BenchResult[] {
  const cycles = scaleCycles(ctx)[1];
  const run = scaleRun(ctx, cycles);
  const step = Math.max(1, Math.round(cycles / 1000));
  const start = Math.floor(cycles / 2);
  const drag = Array.from({ length: 200 }, (_, i) => Math.min(cycles, start + i * step));
  const rnd = lcg(16);
  const seek = Array.from({ length: 40 }, () => 1 + Math.floor(rnd() * (run.events - 1)));
  const tree = (q: string) => `/api/runs/${run.runId}/tree?${q}`;
  const [dragMs, seekMs] = probe(ctx, run, [drag.map((c) => tree(`cycle=${c}`)), seek.map((s) => tree(`seq=${s}`))]);
  const events = run.events.toLocaleString('en-US');
  const med = round(quantile(dragMs, 0.5), 1);
  const seekMed = round(quantile(seekMs, 0.5), 1);
  return [
    {
      name: 'serve.scrub',
      value: med,
      unit: 'ms',
      baseline: null,
      ratio: null,
      ...atMost(med, 100, 'median ms'),
      note:
        `median of ${drag.length} HTTP answers (GET tree?cycle=c, c = ${drag[0]}, ${drag[1]}, …, ${drag[drag.length - 1]}: a drag one pixel at a time), ` +
        `p90 ${round(quantile(dragMs, 0.9), 1)} ms, max ${round(Math.max(...dragMs), 1)} ms; ${events}-event scale run of ${cycles} cycles`,
    },
    {
      name: 'serve.seek',
      value: seekMed,
      unit: 'ms',
      baseline: null,
      ratio: null,
      goal: null,
      met: null,
      note: `median of ${seek.length} jumps to seeded random seqs (a replay from the nearest snapshot each), p90 ${round(quantile(seekMs, 0.9), 1)} ms; same run`,
    },
  ];
}

function probe(ctx: BenchContext, run: ScaleRun, lists: string[][]): number[][] {
  ctx.log(`serve: memcglab serve on ${run.db}, ${lists.map((l) => l.length).join(' + ')} requests (child process)`);
  const r = spawnSync(
    process.execPath,
    [join(ctx.root, 'dist', 'src', 'bench', 'serve_probe.js'), ctx.cli, run.db, JSON.stringify(lists)],
    {
      cwd: ctx.root,
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  if (r.status !== 0) throw new Error(`serve probe failed (${r.status}): ${r.stderr.trim().split('\n')[0]}`);
  return (JSON.parse(r.stdout) as { ms: number[][] }).ms;
}
