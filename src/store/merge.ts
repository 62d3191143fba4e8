import { LabError } from '../errors.js';
import type { ChainRow } from './chain.js';
import type { Store } from './db.js';
import { perRunTables } from './delete.js';
import { asObject, insertRow, prepared } from './rows.js';
import type { RunRow } from './runs.js';
import type { SweepRow } from './sweeps.js';

/** Every sweep of a database, oldest first. */
export function allSweeps(store: Store): SweepRow[] {
  const rows = prepared(store.sqlite, 'SELECT * FROM sweeps ORDER BY id').all() as Record<string, unknown>[];
  return rows.map((r) => asObject<SweepRow>(r)!);
}

/** How many runs belong to no sweep. */
export function loneRunCount(store: Store): number {
  return prepared(store.sqlite, 'SELECT count(*) FROM runs WHERE sweep IS NULL').pluck().get() as number;
}

/** Insert a sweep row, with the id given when there is one (merge keeps a sweep's id when it is free). */
export function insertSweepRow(store: Store, row: Omit<SweepRow, 'id'> & { id?: number }): number {
  return insertRow(store.sqlite, 'sweeps', row);
}

function columns(store: Store, table: string): string[] {
  return store.sqlite.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];
}

/**
 * Copy one run from another database file into this one under a new id, in one transaction: its
 * run row (`row`, without an id), then every row of its log, snapshots, samples, projections and
 * tags with the run id replaced, in SQL (INSERT … SELECT over ATTACH: no event passes through
 * JavaScript, so memory stays flat whatever the run's size), then its hash chain as `chain` makes
 * it for the new id (the genesis seals the id). The log must hold `events` rows, or nothing is
 * copied. Returns the new run id.
 */
export function copyRunFrom(
  store: Store,
  sourcePath: string,
  sourceRun: number,
  row: Omit<RunRow, 'id'>,
  events: number,
  chain: (newId: number) => ChainRow[],
): number {
  const db = store.sqlite;
  db.prepare('ATTACH DATABASE ? AS src').run(sourcePath);
  try {
    // the log, snapshots, samples, projections and tags (a per-run table a later migration adds too)
    const copies = perRunTables(store)
      .filter((t) => t !== 'chain')
      .map((t) => {
        const cols = columns(store, t);
        const list = cols.map((c) => `"${c}"`).join(', ');
        const select = cols.map((c) => (c === 'run' ? '? AS "run"' : `"${c}"`)).join(', ');
        return { table: t, stmt: db.prepare(`INSERT INTO main."${t}" (${list}) SELECT ${select} FROM src."${t}" WHERE run = ?`) };
      });
    const putChain = db.prepare('INSERT INTO main.chain (run, seq, events, data, digest) VALUES (?, ?, ?, ?, ?)');
    return db
      .transaction(() => {
        const id = insertRow(db, 'runs', row);
        for (const c of copies) {
          const n = c.stmt.run(id, sourceRun).changes;
          if (c.table === 'events' && n !== events)
            throw new LabError(`run ${sourceRun} of ${sourcePath} holds ${n} events rows, not the ${events} its row counts`);
        }
        for (const r of chain(id)) putChain.run(id, r.seq, r.events, r.data, r.digest);
        return id;
      })
      .immediate();
  } finally {
    db.exec('DETACH DATABASE src');
  }
}

/**
 * A small page cache for a database read once from end to end (a merge source): a reader's
 * default (64 MiB) per source would make merge's memory grow with the number of shards.
 */
export function smallCache(store: Store): void {
  store.sqlite.pragma('cache_size = -1024');
}
