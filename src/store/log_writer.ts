import type { Event } from '../kernel/events.js';
import { EventAppender } from './appender.js';
import { type ChainRow, putChainRow } from './chain.js';
import type { Store } from './db.js';
import { type ProjectionSink, StoreProjectionSink } from './projections.js';
import { type RunUpdate, updateRun } from './runs.js';
import { type EncodedSnapshot, insertSnapshot } from './snapshot_insert.js';

/**
 * Everything a run writes, in the order it happens: events, projection rows, snapshots, chain
 * rows and run-row updates, in transactions that `commit` closes. Two implementations: straight
 * into the store on the calling thread (StoreLogWriter), or handed to a writer thread that does
 * the same calls on its own connection (lab/piped_writer.ts). Both write the same rows in the
 * same transactions, so a crash loses the same things and resume ends byte-identical.
 */
export interface LogWriter {
  /** events appended so far */
  readonly appended: number;
  readonly projections: ProjectionSink;
  /** take the write lock (a no-op inside a transaction) */
  begin(): void;
  append(e: Event): void;
  snapshot(snap: EncodedSnapshot): void;
  chainRow(row: ChainRow): void;
  updateRun(set: RunUpdate): void;
  /** make everything written so far durable */
  commit(): void;
  /** forget what is not committed */
  rollback(): void;
  /** wait until everything handed over is written; throws a failure the writer met (piped only) */
  close(): void;
}

/** Called right after each transaction begins and right before each commit (the lease checks). */
export interface TransactionHooks {
  onBegin(): void;
  beforeCommit(): void;
}

/** A LogWriter on the calling thread's connection. */
export class StoreLogWriter implements LogWriter {
  private readonly appender: EventAppender;
  readonly projections: StoreProjectionSink;

  constructor(
    private readonly store: Store,
    private readonly run: number,
    hooks: TransactionHooks,
  ) {
    this.appender = new EventAppender(store, run);
    this.appender.onBegin = hooks.onBegin;
    this.appender.beforeCommit = hooks.beforeCommit;
    this.projections = new StoreProjectionSink(store);
  }

  get appended(): number {
    return this.appender.appended;
  }

  begin(): void {
    this.appender.begin();
  }

  append(e: Event): void {
    this.appender.append(e);
  }

  appendRow(seq: number, tick: number, type: number, memcg: number, folio: number, a: number, b: number, data: string | null): void {
    this.appender.appendRow(seq, tick, type, memcg, folio, a, b, data);
  }

  snapshot(snap: EncodedSnapshot): void {
    insertSnapshot(this.store, this.run, snap);
  }

  chainRow(row: ChainRow): void {
    putChainRow(this.store, this.run, row);
  }

  updateRun(set: RunUpdate): void {
    updateRun(this.store, this.run, set);
  }

  commit(): void {
    this.appender.commit();
  }

  rollback(): void {
    this.appender.rollback();
  }

  close(): void {}
}
