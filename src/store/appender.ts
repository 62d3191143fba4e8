import type Database from 'better-sqlite3';
import { LabError } from '../errors.js';
import type { Event } from '../kernel/events.js';
import type { Store } from './db.js';

/** How long a writer keeps retrying BEGIN IMMEDIATE (each try waits the busy timeout) before it gives up. */
const WRITE_LOCK_PATIENCE_MS = 120_000;

/**
 * BEGIN IMMEDIATE: the write lock up front, so a transaction never fails half-way for want of it.
 * SQLite waits the busy timeout for another writer; past that we try again until the patience runs out.
 */
export function beginImmediate(sqlite: Database.Database): void {
  const t0 = Date.now();
  for (;;) {
    try {
      sqlite.exec('BEGIN IMMEDIATE');
      return;
    } catch (e) {
      const code = String((e as { code?: unknown }).code ?? '');
      if (!code.startsWith('SQLITE_BUSY') || Date.now() - t0 > WRITE_LOCK_PATIENCE_MS) {
        if (code.startsWith('SQLITE_BUSY')) {
          throw new LabError(`the database stayed locked by another writer for ${Math.round((Date.now() - t0) / 1000)} s; try again later`);
        }
        throw e;
      }
    }
  }
}

const COLS = 9;
/** Rows per INSERT statement: 9 × 256 = 2304 bound values, well under SQLite's limit. */
export const ROWS_PER_INSERT = 256;

/**
 * The hot path: events are buffered in a flat array and written with one prepared multi-row
 * INSERT per ROWS_PER_INSERT rows, inside a long transaction that `commit()` closes. Anything
 * else written between two commits (samples, projections, snapshots) commits with the events,
 * so a crash leaves either all of it or none. The buffer is reused: no per-event allocation.
 */
export class EventAppender {
  private readonly buf: (number | string | null)[] = new Array(COLS * ROWS_PER_INSERT);
  private n = 0;
  private readonly bulk: Database.Statement;
  private readonly single: Database.Statement;
  private inTx = false;
  appended = 0;

  private readonly sqlite: Database.Database;

  constructor(
    store: Store,
    private readonly run: number,
  ) {
    this.sqlite = store.sqlite;
    const row = `(${new Array(COLS).fill('?').join(',')})`;
    const head = 'INSERT INTO events (run, seq, tick, type, memcg, folio, a, b, data) VALUES ';
    this.bulk = this.sqlite.prepare(head + new Array(ROWS_PER_INSERT).fill(row).join(','));
    this.single = this.sqlite.prepare(head + row);
  }

  /** Called right after each transaction begins (the writer checks it still holds its lease). */
  onBegin: () => void = () => {};
  /** Called right before each commit (the writer renews its lease, seals the chain). */
  beforeCommit: () => void = () => {};

  /** Take the write lock (BEGIN IMMEDIATE, retried while another writer holds it). */
  begin(): void {
    if (!this.inTx) {
      beginImmediate(this.sqlite);
      this.inTx = true;
      this.onBegin();
    }
  }

  append(e: Event): void {
    this.appendRow(e.seq, e.tick, e.type, e.memcg, e.folio, e.a, e.b, e.data);
  }

  /** One row by its columns (the log writer thread gets events as numbers, not objects). */
  appendRow(seq: number, tick: number, type: number, memcg: number, folio: number, a: number, b: number, data: string | null): void {
    if (!this.inTx) this.begin();
    const o = this.n * COLS;
    const buf = this.buf;
    buf[o] = this.run;
    buf[o + 1] = seq;
    buf[o + 2] = tick;
    buf[o + 3] = type;
    buf[o + 4] = memcg;
    buf[o + 5] = folio;
    buf[o + 6] = a;
    buf[o + 7] = b;
    buf[o + 8] = data;
    this.appended++;
    if (++this.n === ROWS_PER_INSERT) {
      // Spread, not an array argument: better-sqlite3 binds positional arguments ~1.4× faster
      // than the elements of one array (measured by `memcglab bench`, figure append).
      this.bulk.run(...buf);
      this.n = 0;
    }
  }

  /** Write buffered rows (still inside the transaction). */
  flush(): void {
    for (let i = 0; i < this.n; i++) this.single.run(this.buf.slice(i * COLS, i * COLS + COLS));
    this.n = 0;
  }

  /** Flush and make everything written so far durable. */
  commit(): void {
    this.flush();
    if (this.inTx) {
      this.beforeCommit();
      this.sqlite.exec('COMMIT');
      this.inTx = false;
    }
  }

  /** Forget what is not committed. SQLite may have rolled back already (a full disk): that is fine. */
  rollback(): void {
    this.n = 0;
    this.inTx = false;
    if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
  }
}
