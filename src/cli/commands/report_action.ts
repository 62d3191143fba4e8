import { writeFileSync } from 'node:fs';
import type { OptionValues } from 'commander';
import { LabError } from '../../errors.js';
import { mismatch, statRunsByIds, statRunsOfSweep } from '../../lab/compare_stats.js';
import { closeStore, openStore } from '../../store/db.js';
import { dbPath, parseIntArg, parseRunId } from '../common.js';
import { printJson } from '../output.js';

export async function reportAction(ids: string[], opts: OptionValues): Promise<void> {
  if (!ids.length && !opts.sweep) throw new LabError('give run ids or --sweep <id>; e.g. memcglab report --sweep 1 --out report.html');
  if (ids.length && opts.sweep) throw new LabError('give run ids or --sweep, not both');
  const store = openStore(dbPath(opts), { readonly: true });
  try {
    const runIds = ids.flatMap((v) => v.split(',')).map((v) => parseRunId(v.trim()));
    const runs = opts.sweep ? statRunsOfSweep(store, parseIntArg('--sweep', opts.sweep)!, opts.where) : statRunsByIds(store, runIds);
    const bad = mismatch(runs);
    if (bad && !opts.force) throw new LabError(`${bad}; report runs of one experiment, or pass --force`);
    if (bad) process.stderr.write(`memcglab: warning: ${bad}\n`);
    const source = opts.sweep ? `sweep ${opts.sweep} of ${store.path}` : `runs ${runIds.join(', ')} of ${store.path}`;
    // Vega and Vega-Lite load only here: every other command starts without them
    const { buildReport } = await import('../../lab/report.js');
    const { html, figures } = await buildReport(store, runs, { cgroup: opts.cgroup, baseline: opts.baseline, source });
    try {
      writeFileSync(opts.out, html);
    } catch (e) {
      throw new LabError(`cannot write ${opts.out}: ${(e as Error).message}`);
    }
    if (opts.json) return printJson({ out: opts.out, runs: runs.map((r) => r.id), figures, bytes: Buffer.byteLength(html) });
    process.stdout.write(`wrote ${opts.out}: ${runs.length} runs, ${figures} figures, ${Math.round(Buffer.byteLength(html) / 1024)} KiB\n`);
  } finally {
    closeStore(store);
  }
}
