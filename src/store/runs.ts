import type { Store } from './db.js';
import { asObject, insertRow, prepared, updateRows } from './rows.js';
import type { runs } from './schema.js';

export type RunRow = typeof runs.$inferSelect;
/** The columns a run starts with (id, counters and results are filled in later). */
export type NewRun = Omit<typeof runs.$inferInsert, 'id'>;
/** Columns a writer updates as the run goes on and ends. */
export type RunUpdate = Partial<Omit<RunRow, 'id'>>;

/** Insert a run row; its id. */
export function insertRun(store: Store, run: NewRun): number {
  return insertRow(store.sqlite, 'runs', run);
}

export function findRun(store: Store, id: number): RunRow | undefined {
  return asObject<RunRow>(prepared(store.sqlite, 'SELECT * FROM runs WHERE id = ?').get(id) as Record<string, unknown> | undefined);
}

export function updateRun(store: Store, id: number, set: RunUpdate): void {
  updateRows(store.sqlite, 'runs', set, 'id = ?', id);
}
/** The holder of a run's lease, as recorded in its row. */
export interface LeaseHolder {
  pid: number;
  host: string;
  bootId: string;
  holderStart: number | null;
  leaseMs: number;
}

/** Take a run's lease (the caller has checked it is free, in the same write transaction). */
export function takeLease(store: Store, id: number, h: LeaseHolder, now: number): void {
  store.sqlite
    .prepare('UPDATE runs SET pid = ?, host = ?, boot_id = ?, holder_start = ?, lease_ms = ?, heartbeat = ? WHERE id = ?')
    .run(h.pid, h.host, h.bootId, h.holderStart, h.leaseMs, now, id);
}

/**
 * Renew a run's lease if `h` still holds it; false when another process took the run over (the
 * caller must stop writing). Call inside the writer's transaction.
 */
export function renewLease(store: Store, id: number, h: LeaseHolder, now: number): boolean {
  const r = store.sqlite
    .prepare(
      "UPDATE runs SET heartbeat = ? WHERE id = ? AND status = 'running' AND pid IS ? AND host IS ? AND boot_id IS ? AND holder_start IS ?",
    )
    .run(now, id, h.pid, h.host, h.bootId, h.holderStart);
  return r.changes === 1;
}
