import type { ChainRow } from '../store/chain.js';
import type { LogRows, LogTable, MemcgRow, SampleRow } from '../store/projections.js';
import type { RunUpdate } from '../store/runs.js';
import type { EncodedSnapshot } from '../store/snapshots.js';

/**
 * What the simulation thread hands the log writer thread (lab/piped_writer.ts →
 * lab/writer_thread.ts). A batch holds up to BATCH_EVENTS events as float64 columns (transferred,
 * not copied) and the other writes that came between them, each with the number of the batch's
 * events written before it, so the writer replays the exact order of the calls.
 */
export const BATCH_EVENTS = 4096;
/** float64 slots per event: seq, tick, type, memcg, folio, a, b, index into `data` (-1: null) */
export const EVENT_SLOTS = 8;
/**
 * Batches handed over and not yet written before the simulation waits: bounds memory (8 × 256 KiB)
 * and the tail a run waits for at its end (~33,000 events, ~20 ms of the writer), the bubble
 * between two runs of a sweep worker.
 */
export const MAX_IN_FLIGHT = 8;

export type WriteOp =
  | { k: 'begin' }
  | { k: 'commit' }
  | { k: 'rollback' }
  | { k: 'snapshot'; snap: EncodedSnapshot }
  | { k: 'chain'; row: ChainRow }
  | { k: 'run'; set: RunUpdate }
  | { k: 'memcg'; row: MemcgRow }
  | { k: 'offline' | 'freed'; id: number; seq: number; tick: number }
  | { k: 'sample'; row: SampleRow }
  | { k: 'row'; table: LogTable; row: LogRows[LogTable] };

export interface Batch {
  /** the first batch of a run: the database and run it writes (the thread serves one run at a time) */
  open?: { path: string; run: number };
  events: Float64Array;
  n: number;
  data: string[];
  /** [events of this batch written before it, op] */
  ops: [number, WriteOp][];
  /** the last batch: the writer closes its connection after it */
  last: boolean;
}

/** The writer thread's start-up data (it then serves the runs of its process, one after another). */
export interface WriterInit {
  /** Int32 [batches written, failed (0/1), started (0/1)]: the simulation waits on slot 0 */
  control: SharedArrayBuffer;
}

/** A failure of the writer thread, as it reports it (the simulation thread throws it again). */
export interface WriterFailure {
  kind: 'lease' | 'lab' | 'other';
  message: string;
  code?: string;
}

export const WRITTEN = 0;
export const FAILED = 1;
export const STARTED = 2;
