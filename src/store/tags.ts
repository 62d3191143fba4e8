import type { Store } from './db.js';
import { prepared } from './rows.js';

/** Tags as a plain object, keys in order. */
export type Tags = Record<string, string>;

/** Give a run its tags (at creation, in the caller's transaction). */
export function putRunTags(store: Store, run: number, tags: Tags): void {
  const put = prepared(store.sqlite, 'INSERT OR REPLACE INTO run_tags (run, key, value) VALUES (?, ?, ?)');
  for (const [k, v] of Object.entries(tags)) put.run(run, k, v);
}

export function putSweepTags(store: Store, sweep: number, tags: Tags): void {
  const put = prepared(store.sqlite, 'INSERT OR REPLACE INTO sweep_tags (sweep, key, value) VALUES (?, ?, ?)');
  for (const [k, v] of Object.entries(tags)) put.run(sweep, k, v);
}

function collect(rows: { id: number; key: string; value: string }[]): Map<number, Tags> {
  const out = new Map<number, Tags>();
  for (const r of rows) {
    const t = out.get(r.id) ?? {};
    t[r.key] = r.value;
    out.set(r.id, t);
  }
  return out;
}

/** The tags of each of these runs (runs without tags are absent from the map). */
export function runTagsOf(store: Store, runs: readonly number[]): Map<number, Tags> {
  if (!runs.length) return new Map();
  // one query for a page of runs: their ids as a JSON array, so the statement text stays fixed
  const rows = prepared(
    store.sqlite,
    'SELECT run AS id, key, value FROM run_tags WHERE run IN (SELECT value FROM json_each(?)) ORDER BY run, key',
  ).all(JSON.stringify(runs)) as { id: number; key: string; value: string }[];
  return collect(rows);
}

export function sweepTagsOf(store: Store, sweep: number): Tags {
  const rows = prepared(store.sqlite, 'SELECT sweep AS id, key, value FROM sweep_tags WHERE sweep = ? ORDER BY key').all(sweep) as {
    id: number;
    key: string;
    value: string;
  }[];
  return collect(rows).get(sweep) ?? {};
}
