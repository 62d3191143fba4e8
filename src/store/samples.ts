import type { Store } from './db.js';
import { insertRow } from './rows.js';
import type { samples } from './schema.js';

export type SampleRow = typeof samples.$inferInsert;

/** One metrics sample of a run (the caller computes it from the state at that point). */
export function insertSample(store: Store, row: SampleRow): void {
  insertRow(store.sqlite, 'samples', row);
}
