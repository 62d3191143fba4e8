import { METRIC_NAMES, type Metrics } from '../lab/metrics.js';

/** Plain output helpers: JSON on stdout, aligned tables, CSV. */

export function printJson(v: unknown): void {
  process.stdout.write(JSON.stringify(v, null, 2) + '\n');
}

export function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 10000) / 10000);
  if (Buffer.isBuffer(v)) return `<${v.length} bytes>`;
  return String(v);
}

export function table(headers: string[], rows: unknown[][], alignRight?: boolean[]): string {
  const cells = rows.map((r) => r.map(formatCell));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const right = alignRight ?? headers.map((_, i) => cells.every((r) => /^-?[\d.]+$|^-$/.test(r[i] ?? '')));
  const line = (r: string[]) =>
    r.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}

export function csv(headers: string[], rows: unknown[][]): string {
  const esc = (v: unknown) => {
    const s = v === null || v === undefined ? '' : Buffer.isBuffer(v) ? v.toString('hex') : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [headers.map(esc).join(','), ...rows.map((r) => r.map(esc).join(','))].join('\n') + '\n';
}

/** The metrics of one run, one per line, in the vocabulary's order. */
export function metricsTable(m: Metrics): string {
  return table(['metric', 'value'], METRIC_NAMES.map((k) => [k, m[k]]));
}
