import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { timeMs } from './timing.js';
import type { BenchContext } from './types.js';

/** A run of experiments/scale.json in a child process (the CLI, as a user runs it). */
export interface ScaleRun {
  cycles: number;
  db: string;
  runId: number;
  events: number;
  /** wall time of the child, node start-up included */
  ms: number;
  maxRssKiB: number;
}

export function scaleExperimentPath(ctx: BenchContext): string {
  return join(ctx.root, 'experiments', 'scale.json');
}

/** The cycle counts of the two scale runs: 1,000 and 10,000 (quick: 50 and 500). */
export function scaleCycles(ctx: BenchContext): [number, number] {
  return ctx.quick ? [50, 500] : [1000, 10000];
}

const cache = new Map<string, ScaleRun>();

/**
 * Run the scale experiment for `cycles` cycles with `memcglab run` in a child node process
 * preloaded with the RSS probe; once per suite, cycle count and memory size (the memory, scale and export
 * figures share the runs).
 */
export function scaleRun(ctx: BenchContext, cycles: number, memory?: string): ScaleRun {
  const key = `${ctx.dir}:${cycles}:${memory ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const name = `scale-${cycles}${memory ? `-${memory}` : ''}`;
  const db = join(ctx.dir, `${name}.db`);
  const rssOut = join(ctx.dir, `${name}.rss.json`);
  const probe = pathToFileURL(join(ctx.root, 'dist', 'src', 'bench', 'rss_probe.js')).href;
  const sets = ['--set', `workload.cycles=${cycles}`, ...(memory ? ['--set', `machine.memory=${JSON.stringify(memory)}`] : [])];
  ctx.log(`scale: memcglab run experiments/scale.json ${sets.join(' ')} (child process)`);
  const { ms, value: r } = timeMs(() =>
    spawnSync(process.execPath, ['--import', probe, ctx.cli, 'run', scaleExperimentPath(ctx), ...sets, '--db', db, '--json'], {
      cwd: ctx.root,
      encoding: 'utf8',
      env: { ...process.env, MEMCGLAB_RSS_OUT: rssOut },
      maxBuffer: 64 * 1024 * 1024,
    }),
  );
  if (r.status !== 0) throw new Error(`scale run of ${cycles} cycles failed (${r.status}): ${r.stderr.trim().split('\n')[0]}`);
  if (!existsSync(rssOut)) throw new Error('scale run: the RSS probe wrote nothing');
  const res = JSON.parse(r.stdout) as { id: number; events: number };
  const run: ScaleRun = {
    cycles,
    db,
    runId: res.id,
    events: res.events,
    ms,
    maxRssKiB: (JSON.parse(readFileSync(rssOut, 'utf8')) as { maxRssKiB: number }).maxRssKiB,
  };
  cache.set(key, run);
  return run;
}
