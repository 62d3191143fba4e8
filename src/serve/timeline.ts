import type { SeriesPoint } from '../lab/report_data.js';
import { runViews } from '../lab/run_view.js';
import { type Chart, seriesChart } from '../report/charts.js';
import type { Store } from '../store/db.js';
import { samplesOfRuns } from '../store/report.js';
import { findRun } from '../store/runs.js';

/** The curves above the scrubber, in this order, when the run sampled them. */
export const TIMELINE_METRICS = ['nr_dying', 'memory_current', 'pgscan', 'pgsteal', 'workingset_refault_file', 'stale_pages'] as const;

/**
 * The timeline's plots: each metric of the run's samples over cycles, built by the report's own
 * chart helper (one run: one line, the run's policy), so the page and the report look alike.
 * The page adds the scrubber's cursor to each spec and renders it with the same Vega-Lite.
 */
export function timelineCharts(store: Store, runId: number): { samples: number; charts: Chart[] } {
  const [view] = runViews(store, [findRun(store, runId)!]);
  const { metrics, rows } = samplesOfRuns(store, [runId]);
  const charts: Chart[] = [];
  for (const metric of TIMELINE_METRICS) {
    if (!metrics.includes(metric)) continue;
    const points: SeriesPoint[] = [];
    for (const r of rows) {
      const v = r[metric];
      if (typeof v === 'number') points.push({ metric, policy: view.policy, cycle: r.cycle!, mean: v, lo: v, hi: v, n: 1 });
    }
    if (points.length) charts.push(seriesChart(metric, points, [view.policy]));
  }
  return { samples: rows.length, charts };
}
