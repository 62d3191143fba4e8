import type { TopLevelSpec } from 'vega-lite';
import type { LruPoint, ReportData, SeriesPoint } from '../lab/report_data.js';

/** One figure of the report: a Vega-Lite spec, rendered to SVG at build time. */
export interface Chart {
  id: string;
  title: string;
  caption: string;
  spec: TopLevelSpec;
}

const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", sans-serif',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 10, titleFontSize: 11, gridColor: '#eee' },
  legend: { labelFontSize: 10, titleFontSize: 11 },
};

/** Policies keep their colour in every figure, in the order they are listed. */
function colour(policies: string[]) {
  return { field: 'policy', type: 'nominal' as const, title: 'policy', scale: { domain: policies, scheme: 'tableau10' } };
}

/** A metric over cycles per policy: the mean over seeds as a line, its 95% CI as a band. */
export function seriesChart(metric: string, points: SeriesPoint[], policies: string[]): Chart {
  const multi = points.some((p) => p.n > 1);
  const x = { field: 'cycle', type: 'quantitative' as const, title: 'cycle' };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 420,
    height: 190,
    config: CONFIG,
    data: { values: points },
    layer: [
      ...(multi
        ? [
            {
              mark: { type: 'area', opacity: 0.18 },
              encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, fill: colour(policies) },
            },
          ]
        : []),
      {
        mark: { type: 'line', strokeWidth: 1.6 },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative', title: metric },
          color: { ...colour(policies), legend: { symbolType: 'stroke', symbolStrokeWidth: 2.5, symbolOpacity: 1 } },
        },
      },
    ],
  } as TopLevelSpec;
  return {
    id: `series-${metric}`,
    title: `${metric} over cycles`,
    spec,
    caption: multi ? `mean over seeds; band: 95% CI (Student t)` : 'one run per policy',
  };
}

/** A final metric per policy: bars of the mean with 95% CI whiskers. */
export function barChart(metric: string, rows: { policy: string; mean: number; lo: number; hi: number }[], policies: string[]): Chart {
  const y = { field: 'policy', type: 'nominal' as const, title: null, sort: policies };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 260,
    height: Math.max(40, 22 * policies.length),
    config: CONFIG,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'bar', opacity: 0.85 },
        encoding: { y, x: { field: 'mean', type: 'quantitative', title: metric }, color: { ...colour(policies), legend: null } },
      },
      { mark: { type: 'rule', strokeWidth: 1.4 }, encoding: { y, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
    ],
  } as TopLevelSpec;
  return { id: `bar-${metric}`, title: metric, spec, caption: 'final value, mean over seeds; whisker: 95% CI' };
}

/** The cgroup's generations (MGLRU) or lists (classic) over cycles, one panel per policy. */
export function lruChart(points: LruPoint[], cgroup: string, policies: string[], mglru: boolean): Chart {
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    data: { values: points },
    facet: { row: { field: 'policy', type: 'nominal', title: null, sort: policies } },
    spec: {
      width: 420,
      height: 110,
      mark: { type: 'area', interpolate: 'step-after' },
      encoding: {
        x: { field: 'cycle', type: 'quantitative', title: 'cycle' },
        y: { field: 'pages', type: 'quantitative', stack: 'zero', title: 'pages' },
        color: {
          field: 'part',
          type: 'nominal',
          title: mglru ? 'generation' : 'list',
          sort: { field: 'order' },
          scale: { scheme: mglru ? 'blues' : 'tableau10', reverse: mglru },
        },
        order: { field: 'order', type: 'quantitative' },
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as unknown as TopLevelSpec;
  const what = mglru ? 'lru_gen nr_pages per generation (anon + file), youngest on top' : 'active/inactive list sizes';
  return {
    id: 'lru',
    title: `${cgroup}: ${mglru ? 'generation sizes' : 'LRU lists'} over cycles`,
    spec,
    caption: `${what}; first seed of each policy`,
  };
}

/** Every figure of a report, in page order. */
export function reportCharts(d: ReportData): { series: Chart[]; bars: Chart[]; lru: Chart | undefined } {
  const policies = d.stats.groups.map((g) => g.policy);
  const series = d.sampleMetrics
    .map((m) =>
      seriesChart(
        m,
        d.series.filter((p) => p.metric === m),
        policies,
      ),
    )
    .filter((c) => (c.spec as { data: { values: unknown[] } }).data.values.length > 0);
  const bars = d.stats.metrics.flatMap(({ metric, byPolicy }) => {
    const rows = policies.flatMap((policy) => {
      const s = byPolicy[policy];
      if (s.mean === null) return [];
      const h = s.ci95 ?? 0;
      return [{ policy, mean: s.mean, lo: s.mean - h, hi: s.mean + h }];
    });
    return rows.length ? [barChart(metric, rows, policies)] : [];
  });
  const mglru = d.runs[0].lru === 'mglru';
  return { series, bars, lru: d.lru.length ? lruChart(d.lru, d.cgroup, policies, mglru) : undefined };
}
