import type { StatsComparison } from '../lab/compare_stats.js';
import { BYTE_METRICS, formatBytes } from '../lab/sizes.js';
import { fmt } from '../lab/stats.js';
import { escapeControl } from './escape.js';
import { csv, table } from './output.js';

export { fmt };

function seedsText(seeds: number[]): string {
  const s = [...seeds].sort((a, b) => a - b);
  const contiguous = s.every((v, i) => i === 0 || v === s[i - 1] + 1);
  return contiguous && s.length > 2 ? `${s[0]}..${s[s.length - 1]}` : s.join(',');
}

/** Rows = metrics; per policy "mean ± CI" and, except for the baseline, the ratio (~ when within the noise); sizes as KiB/MiB/GiB with `human`. */
export function statsTable(c: StatsComparison, exp: Record<string, unknown>, human = false): string {
  const headers = ['metric'];
  for (const g of c.groups) {
    headers.push(`${g.policy} (n=${g.runs.length})`);
    if (g.policy !== c.baseline) headers.push(`÷${c.baseline}`);
  }
  const rows = c.metrics.map(({ metric, byPolicy }) => {
    const row: string[] = [metric];
    const f = human && BYTE_METRICS.has(metric) ? formatBytes : fmt;
    for (const g of c.groups) {
      const s = byPolicy[g.policy];
      row.push(s.mean === null ? '-' : s.ci95 === null ? f(s.mean) : `${f(s.mean)} ± ${f(s.ci95)}`);
      if (g.policy !== c.baseline)
        row.push(s.ratio === null ? (s.withinNoise ? '~' : '-') : `${s.ratio.toFixed(2)}${s.withinNoise ? ' ~' : ''}`);
    }
    return row;
  });
  const runs = c.groups.map((g) => `${g.policy}: runs ${g.runs.join(',')} (seeds ${seedsText(g.seeds)})`).join('; ');
  // names and policy labels come from the database: no terminal control characters reach the terminal
  return escapeControl(
    `${String(exp.name)}: ${runs}\n${table(
      headers,
      rows,
      headers.map((_, i) => i > 0),
    )}\n${c.legend}\n`,
    true,
  );
}

/** One row per metric and policy. */
export function statsCsv(c: StatsComparison): string {
  const rows = c.metrics.flatMap(({ metric, byPolicy }) =>
    c.groups.map((g) => {
      const s = byPolicy[g.policy];
      const lo = s.mean !== null && s.ci95 !== null ? s.mean - s.ci95 : null;
      const hi = s.mean !== null && s.ci95 !== null ? s.mean + s.ci95 : null;
      return [metric, g.policy, s.n, s.mean, s.sd, lo, hi, s.ratio, s.p, s.withinNoise];
    }),
  );
  return csv(['metric', 'policy', 'n', 'mean', 'sd', 'ci95_low', 'ci95_high', `ratio_to_${c.baseline}`, 'p_welch', 'within_noise'], rows);
}
