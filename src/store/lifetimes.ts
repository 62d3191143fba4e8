import type { Store } from './db.js';

/** A memcg's life from the `memcgs` projection: the seqs of its mkdir, rmdir (offline) and free. */
export interface MemcgLifetime {
  id: number;
  path: string;
  createdSeq: number;
  offlineSeq: number | null;
  freedSeq: number | null;
}

/**
 * Memcgs of a run created, taken offline or freed by an event in (fromSeq, toSeq] — what diff
 * needs beyond the two states it replays: a memcg created and freed between them is in neither.
 * The root (created by the machine event) has no row.
 */
export function memcgLifetimesBetween(store: Store, run: number, fromSeq: number, toSeq: number): MemcgLifetime[] {
  return store.sqlite
    .prepare(
      `SELECT id, path, created_seq AS createdSeq, offline_seq AS offlineSeq, freed_seq AS freedSeq FROM memcgs
       WHERE run = @run AND ((created_seq > @from AND created_seq <= @to) OR (offline_seq > @from AND offline_seq <= @to)
         OR (freed_seq > @from AND freed_seq <= @to))
       ORDER BY id`,
    )
    .all({ run, from: fromSeq, to: toSeq }) as MemcgLifetime[];
}
