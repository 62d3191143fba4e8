import type { Metrics } from '../lab/metrics.js';
import { BYTE_METRICS, formatBytes } from '../lab/sizes.js';
import { escapeControl } from './escape.js';

/** Plain output helpers: JSON on stdout, aligned tables, CSV. */

export function printJson(v: unknown): void {
  process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
}

export function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 10000) / 10000);
  if (Buffer.isBuffer(v)) return `<${v.length} bytes>`;
  return escapeControl(String(v));
}

export function table(headers: string[], rows: unknown[][], alignRight?: boolean[]): string {
  const cells = rows.map((r) => r.map(formatCell));
  const names = headers.map((h) => escapeControl(h));
  const widths = names.map((h, i) => cells.reduce((w, r) => Math.max(w, r[i]?.length ?? 0), h.length));
  const right = alignRight ?? headers.map((_, i) => cells.every((r) => /^-?[\d.]+$|^-$/.test(r[i] ?? '')));
  const line = (r: string[]) =>
    r
      .map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return `${[line(names), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')}\n`;
}

export function csv(headers: string[], rows: unknown[][]): string {
  const esc = (v: unknown) => {
    const s = v === null || v === undefined ? '' : Buffer.isBuffer(v) ? v.toString('hex') : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[headers.map(esc).join(','), ...rows.map((r) => r.map(esc).join(','))].join('\n')}\n`;
}

/** A metric's value for people: bytes as bytes, or as KiB/MiB/GiB with `human` (-h). */
export function metricCell(metric: string, v: unknown, human = false): unknown {
  return human && BYTE_METRICS.has(metric) && typeof v === 'number' ? formatBytes(v) : v;
}

/** The metrics of one run, one per line, in the order given (the vocabulary's: METRIC_NAMES). */
export function metricsTable(m: Metrics, names: readonly (keyof Metrics)[], human = false): string {
  return table(
    ['metric', 'value'],
    names.map((k) => [k, metricCell(k, m[k], human)]),
    [false, true],
  );
}

/**
 * dying_bytes by part, memory.stat style ("key value" lines, bytes; KiB/MiB with `human`): the
 * parts of the dying-memcg size times nr_dying.
 */
export function dyingTable(parts: Record<string, number>, human = false): string {
  const lines = Object.entries(parts).map(([k, v]) => `${k} ${human ? formatBytes(v) : v}`);
  return `dying memcg bytes by part (nr_dying × each part of one dying memcg):\n${lines.join('\n')}\n`;
}
