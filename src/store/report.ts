import type { Store } from './db.js';

/** Columns of `samples` that say where a sample was taken, not what it measured. */
export const SAMPLE_KEYS = ['run', 'seq', 'tick', 'cycle'] as const;

/**
 * Every sample of these runs, read generically: whatever metric columns `samples` has (later
 * migrations add some), as rows of name → value, in run and seq order; `metrics` lists the
 * metric columns in table order.
 */
export function samplesOfRuns(store: Store, runIds: number[]): { metrics: string[]; rows: Record<string, number | null>[] } {
  const cols = store.sqlite.prepare("SELECT name FROM pragma_table_info('samples')").pluck().all() as string[];
  const metrics = cols.filter((c) => !(SAMPLE_KEYS as readonly string[]).includes(c));
  if (!runIds.length) return { metrics, rows: [] };
  const rows = store.sqlite
    .prepare(`SELECT * FROM samples WHERE run IN (${runIds.map(() => '?').join(',')}) ORDER BY run, seq`)
    .all(...runIds) as Record<string, number | null>[];
  return { metrics, rows };
}
