import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { scaleCycles, scaleRun } from './scale.js';
import { timeMs } from './timing.js';
import { atMost, type BenchContext, type BenchResult, round } from './types.js';

/** The export figure's RSS goal, MiB (issue 11: constant memory, whatever the log's length). */
const RSS_GOAL_MIB = 100;

/**
 * export: `memcglab export <run>` of the larger scale run's events (the 20 M-event run the goal
 * names; quick: ~1 M events) as CSV to /dev/null, in a child process preloaded with the RSS probe.
 * Figures: rows/s (wall, node start-up included) and peak RSS, goal <= 100 MiB.
 */
export function benchExport(ctx: BenchContext): BenchResult[] {
  const big = scaleRun(ctx, scaleCycles(ctx)[1]);
  const rec = { path: big.db, runId: big.runId };
  const events = big.events;
  const rssOut = join(ctx.dir, 'export.rss.json');
  rmSync(rssOut, { force: true });
  const probe = pathToFileURL(join(ctx.root, 'dist', 'src', 'bench', 'rss_probe.js')).href;
  ctx.log(`export: memcglab export ${rec.runId} (${events} events) > /dev/null (child process)`);
  const devNull = openSync('/dev/null', 'w');
  let r: ReturnType<typeof spawnSync>;
  let ms: number;
  try {
    ({ ms, value: r } = timeMs(() =>
      spawnSync(process.execPath, ['--import', probe, ctx.cli, 'export', String(rec.runId), '--db', rec.path], {
        cwd: ctx.root,
        stdio: ['ignore', devNull, 'pipe'],
        encoding: 'utf8',
        env: { ...process.env, MEMCGLAB_RSS_OUT: rssOut },
      }),
    ));
  } finally {
    closeSync(devNull);
  }
  if (r.status !== 0) throw new Error(`export failed (${r.status}): ${String(r.stderr).trim().split('\n')[0]}`);
  if (!existsSync(rssOut)) throw new Error('export: the RSS probe wrote nothing');
  const mib = round((JSON.parse(readFileSync(rssOut, 'utf8')) as { maxRssKiB: number }).maxRssKiB / 1024, 1);
  const note = `memcglab export ${rec.runId} --what events --format csv > /dev/null in a child process: ${events} events in ${(ms / 1000).toFixed(2)} s wall (start-up included)`;
  return [
    {
      name: 'export',
      value: Math.round(events / (ms / 1000)),
      unit: 'rows/s',
      baseline: null,
      ratio: null,
      goal: null,
      met: null,
      note,
    },
    {
      name: 'export.rss',
      value: mib,
      unit: 'MiB peak RSS',
      baseline: null,
      ratio: null,
      ...atMost(mib, RSS_GOAL_MIB, 'MiB'),
      note: `${note}; maxRSS from process.resourceUsage() at exit; goal: at most ${RSS_GOAL_MIB} MiB`,
    },
  ];
}
