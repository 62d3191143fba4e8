import type { Store } from './db.js';
import { asObject, prepared } from './rows.js';
import type { RunRow } from './runs.js';

/** What `runs` narrows by in SQL (policy and status are judged by the lab: they need the lease and the experiment). */
export interface RunFilter {
  /** GLOB pattern on runs.name (`*`, `?`, `[…]`; an exact name matches itself) */
  name?: string;
  /** GLOB pattern on the experiment's own name (runs.experiment → name) */
  experiment?: string;
  sweep?: number;
  /** every tag must be there; without a value, any value */
  tags?: { key: string; value?: string }[];
}

/** The runs that pass the filter, by id (oldest first). */
export function findRuns(store: Store, f: RunFilter): RunRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.name !== undefined) {
    where.push('name GLOB ?');
    params.push(f.name);
  }
  if (f.experiment !== undefined) {
    // a damaged experiment (not JSON) has no name rather than failing the whole listing
    where.push("(CASE WHEN json_valid(experiment) THEN json_extract(experiment, '$.name') END) GLOB ?");
    params.push(f.experiment);
  }
  if (f.sweep !== undefined) {
    where.push('sweep = ?');
    params.push(f.sweep);
  }
  for (const t of f.tags ?? []) {
    where.push(`EXISTS (SELECT 1 FROM run_tags t WHERE t.run = runs.id AND t.key = ?${t.value === undefined ? '' : ' AND t.value = ?'})`);
    params.push(t.key, ...(t.value === undefined ? [] : [t.value]));
  }
  const sql = `SELECT * FROM runs${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
  return (store.sqlite.prepare(sql).all(...params) as Record<string, unknown>[]).map((r) => asObject<RunRow>(r)!);
}

export function countRuns(store: Store): number {
  return prepared(store.sqlite, 'SELECT count(*) FROM runs').pluck().get() as number;
}
