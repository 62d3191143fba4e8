import { type Chart, reportCharts } from '../report/charts.js';
import type { RenderedChart } from '../report/html.js';
import { reportHtml } from '../report/html.js';
import { renderSvg } from '../report/render.js';
import type { Store } from '../store/db.js';
import type { StatRun } from './compare_stats.js';
import { reportData } from './report_data.js';
import { codeVersion } from './version.js';

export interface ReportOptions {
  cgroup: string;
  baseline?: string;
  /** the line under the title: where the runs come from */
  source: string;
}

/** The HTML report of finished runs that compare: data from the store, plots rendered to inline SVG. */
export async function buildReport(store: Store, runs: StatRun[], o: ReportOptions): Promise<{ html: string; figures: number }> {
  const d = reportData(store, runs, o.cgroup, o.baseline);
  const charts = reportCharts(d);
  const render = async (c: Chart): Promise<RenderedChart> => ({ ...c, svg: await renderSvg(c.spec) });
  const series = await Promise.all(charts.series.map(render));
  const bars = await Promise.all(charts.bars.map(render));
  const lru = charts.lru && (await render(charts.lru));
  const about = `${o.source}; memcglab ${codeVersion()}; cgroup ${o.cgroup}`;
  return { html: reportHtml(d, { series, bars, lru }, about), figures: series.length + bars.length + (lru ? 1 : 0) };
}
