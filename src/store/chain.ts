import type { Store } from './db.js';

/** One row of a run's hash chain (see schema.ts `chain`). */
export interface ChainRow {
  seq: number;
  events: string;
  data: string;
  digest: string;
}

/** Insert (or, for the row at the same seq rewritten by a writer, replace) a chain row. */
export function putChainRow(store: Store, run: number, row: ChainRow): void {
  store.sqlite
    .prepare('INSERT OR REPLACE INTO chain (run, seq, events, data, digest) VALUES (?, ?, ?, ?, ?)')
    .run(run, row.seq, row.events, row.data, row.digest);
}

/** Every chain row of a run, in seq order. */
export function chainRows(store: Store, run: number): ChainRow[] {
  return store.sqlite.prepare('SELECT seq, events, data, digest FROM chain WHERE run = ? ORDER BY seq').all(run) as ChainRow[];
}

/** The chain row at `seq` and the digest of the row before it (what a writer continuing from `seq` needs). */
export function chainAt(store: Store, run: number, seq: number): { row: ChainRow; prev: string | undefined } | undefined {
  const row = store.sqlite.prepare('SELECT seq, events, data, digest FROM chain WHERE run = ? AND seq = ?').get(run, seq) as
    | ChainRow
    | undefined;
  if (!row) return undefined;
  const prev = store.sqlite.prepare('SELECT digest FROM chain WHERE run = ? AND seq < ? ORDER BY seq DESC LIMIT 1').pluck().get(run, seq) as
    | string
    | undefined;
  return { row, prev };
}
