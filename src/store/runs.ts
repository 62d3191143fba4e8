import { desc, eq } from 'drizzle-orm';
import type { Store } from './db.js';
import { runs } from './schema.js';

export type RunRow = typeof runs.$inferSelect;
/** The columns a run starts with (id, counters and results are filled in later). */
export type NewRun = Omit<typeof runs.$inferInsert, 'id'>;
/** Columns a writer updates as the run goes on and ends. */
export type RunUpdate = Partial<Omit<RunRow, 'id'>>;

/** Insert a run row; its id. */
export function insertRun(store: Store, run: NewRun): number {
  return store.db.insert(runs).values(run).returning({ id: runs.id }).get().id;
}

export function findRun(store: Store, id: number): RunRow | undefined {
  return store.db.select().from(runs).where(eq(runs.id, id)).get();
}

/** Every run, newest first. */
export function allRuns(store: Store): RunRow[] {
  return store.db.select().from(runs).orderBy(desc(runs.id)).all();
}

export function updateRun(store: Store, id: number, set: RunUpdate): void {
  store.db.update(runs).set(set).where(eq(runs.id, id)).run();
}
