import type { ReportData } from '../lab/report_data.js';
import { fmt } from '../lab/stats.js';
import type { Chart } from './charts.js';

export interface RenderedChart extends Chart {
  svg: string;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 24px auto; max-width: 1400px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta { color: #555; margin: 0 0 12px; }
table.stats { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 13px; }
table.stats th, table.stats td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: right; white-space: nowrap; }
table.stats th:first-child, table.stats td:first-child { text-align: left; }
table.stats td.noise { color: #999; }
.legend { color: #555; font-size: 12px; margin-top: 6px; }
.grid { display: flex; flex-wrap: wrap; gap: 12px; }
figure.plot { margin: 0; padding: 8px; border: 1px solid #e5e5e5; border-radius: 6px; background: #fff; }
figure.plot figcaption { font-size: 12px; color: #555; margin-top: 2px; }
figure.plot figcaption b { color: #222; }
`;

function statsHtml(d: ReportData): string {
  const c = d.stats;
  const head = c.groups.flatMap((g) => [
    `<th>${esc(g.policy)} (n=${g.runs.length})</th>`,
    ...(g.policy === c.baseline ? [] : [`<th>÷${esc(c.baseline)}</th>`]),
  ]);
  const rows = c.metrics.map(({ metric, byPolicy }) => {
    const cells = c.groups.flatMap((g) => {
      const s = byPolicy[g.policy];
      const v = s.mean === null ? '-' : s.ci95 === null ? fmt(s.mean) : `${fmt(s.mean)} ± ${fmt(s.ci95)}`;
      if (g.policy === c.baseline) return [`<td>${esc(v)}</td>`];
      const r = s.ratio === null ? (s.withinNoise ? '~' : '-') : `${s.ratio.toFixed(2)}${s.withinNoise ? ' ~' : ''}`;
      return [`<td>${esc(v)}</td>`, `<td class="${s.withinNoise ? 'noise' : ''}">${esc(r)}</td>`];
    });
    return `<tr><td>${esc(metric)}</td>${cells.join('')}</tr>`;
  });
  return `<table class="stats"><thead><tr><th>metric</th>${head.join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table>
<p class="legend">${esc(c.legend)}</p>`;
}

function figure(c: RenderedChart): string {
  return `<figure class="plot" id="${esc(c.id)}" data-plot="${esc(c.id)}">${c.svg}<figcaption><b>${esc(c.title)}</b> — ${esc(c.caption)}</figcaption></figure>`;
}

/** One self-contained page: inline CSS and SVG, no script, nothing fetched. */
export function reportHtml(
  d: ReportData,
  charts: { series: RenderedChart[]; bars: RenderedChart[]; lru?: RenderedChart },
  about: string,
): string {
  const runs = d.stats.groups.map((g) => `${esc(g.policy)}: runs ${g.runs.join(', ')} (seeds ${g.seeds.join(', ')})`).join('; ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>memcglab report: ${esc(d.title)}</title><style>${CSS}</style></head>
<body>
<h1>memcglab report: ${esc(d.title)}</h1>
<p class="meta">${runs}<br>${esc(about)}</p>
<h2>Final metrics per policy</h2>
${statsHtml(d)}
<h2>Over time</h2>
<div class="grid">${charts.series.map(figure).join('\n')}</div>
<h2>Final metrics, 95% CIs</h2>
<div class="grid">${charts.bars.map(figure).join('\n')}</div>
${charts.lru ? `<h2>LRU of ${esc(d.cgroup)}</h2>\n<div class="grid">${figure(charts.lru)}</div>` : ''}
</body></html>
`;
}
