import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { LabError } from '../errors.js';
import type { Event } from '../kernel/events.js';
import type { ChainRow } from '../store/chain.js';
import type { Store } from '../store/db.js';
import type { LogWriter } from '../store/log_writer.js';
import type { LogRows, LogTable, MemcgRow, ProjectionSink, SampleRow } from '../store/projections.js';
import type { RunUpdate } from '../store/runs.js';
import type { EncodedSnapshot } from '../store/snapshots.js';
import { checkpointWal } from '../store/writer_open.js';
import { packColumns } from './event_pack.js';
import { LeaseLost } from './run_lease.js';
import {
  BATCH_EVENTS,
  type Batch,
  EVENT_SLOTS,
  FAILED,
  MAX_IN_FLIGHT,
  STARTED,
  WRITTEN,
  type WriteOp,
  type WriterFailure,
  type WriterInit,
} from './writer_protocol.js';

/** Longest wait for the writer thread to take a batch before we call it stuck (longer than it waits for the write lock). */
const STUCK_MS = 150_000;
/** Longest wait for the writer thread to start (it takes ~50 ms; a thread that cannot load never says so here). */
const START_MS = 15_000;
/** At most this often (ms) the waiting simulation thread checkpoints the WAL. */
const CHECKPOINT_EVERY_MS = 20;

/** The process's log writer thread: started by the first pipelined run, kept for the next ones (unref'd: it never holds the process). */
interface WriterThread {
  worker: Worker;
  port: MessagePort;
  control: Int32Array;
  /** batches handed over so far (the thread counts the ones it wrote in control[WRITTEN]) */
  sent: number;
  /** when the thread was created (Date.now()) */
  created: number;
}
let thread: WriterThread | undefined;

function writerThread(): WriterThread {
  if (thread) return thread;
  const control = new SharedArrayBuffer(12);
  const { port1, port2 } = new MessageChannel();
  const init: WriterInit & { port: MessagePort } = { control, port: port2 };
  const worker = new Worker(new URL('./writer_thread.js', import.meta.url), { workerData: init, transferList: [port2] });
  worker.unref();
  port1.unref();
  const t: WriterThread = { worker, port: port1, control: new Int32Array(control), sent: 0, created: Date.now() };
  // a thread that dies (it cannot load, say) is reported by the run that waited for it; the next run starts another
  worker.on('error', () => {});
  worker.on('exit', () => {
    if (thread === t) thread = undefined;
  });
  thread = t;
  return t;
}

/**
 * A pipelined run's LogWriter on the simulation thread: events go into float64 batches that are
 * transferred to the log writer thread (lab/writer_thread.ts), other writes ride along at their
 * place in the stream, so the writer repeats the one-thread writer's calls in the same order and
 * the database ends the same, row for row. The simulation runs ahead by at most MAX_IN_FLIGHT
 * batches (it waits on a shared counter), so memory stays bounded when SQLite is the slower side;
 * while it waits, it checkpoints the WAL on its own connection. A failure of the writer (a full
 * disk, a lost lease) is thrown here at the next hand-over.
 */
export class PipedLogWriter implements LogWriter {
  appended = 0;
  readonly projections: ProjectionSink;
  private readonly t: WriterThread;
  private events = new Float64Array(BATCH_EVENTS * EVENT_SLOTS);
  private n = 0;
  private data: string[] = [];
  private ops: [number, WriteOp][] = [];
  private open: Batch['open'];
  private closed = false;
  private lastCheckpoint = 0;

  /** `store`: this thread's connection to the run's database, idle while the run is written (it checkpoints the WAL). */
  constructor(
    private readonly store: Store,
    run: number,
  ) {
    this.t = writerThread();
    // a failure the last run left unread (in its rollback) is not this run's
    while (receiveMessageOnPort(this.t.port));
    Atomics.store(this.t.control, FAILED, 0);
    this.open = { path: store.path, run };
    const op = (o: WriteOp) => this.op(o);
    this.projections = {
      memcgCreated: (row: MemcgRow) => op({ k: 'memcg', row }),
      memcgOffline: (_run, id, seq, tick) => op({ k: 'offline', id, seq, tick }),
      memcgFreed: (_run, id, seq, tick) => op({ k: 'freed', id, seq, tick }),
      sample: (row: SampleRow) => op({ k: 'sample', row }),
      row: <T extends LogTable>(table: T, row: LogRows[T]) => op({ k: 'row', table, row }),
    };
  }

  begin(): void {
    this.op({ k: 'begin' });
  }

  append(e: Event): void {
    const o = this.n * EVENT_SLOTS;
    const v = this.events;
    packColumns(v, o, e);
    if (e.data === null) v[o + 7] = -1;
    else {
      v[o + 7] = this.data.length;
      this.data.push(e.data);
    }
    this.appended++;
    if (++this.n === BATCH_EVENTS) this.post(false);
  }

  snapshot(snap: EncodedSnapshot): void {
    this.op({ k: 'snapshot', snap });
  }

  chainRow(row: ChainRow): void {
    this.op({ k: 'chain', row });
  }

  updateRun(set: RunUpdate): void {
    this.op({ k: 'run', set });
  }

  /** Commits go out at once, so what a crash can lose stays what the one-thread writer would lose. */
  commit(): void {
    this.op({ k: 'commit' });
    this.post(false);
  }

  rollback(): void {
    if (this.closed) return;
    this.ops = [];
    this.n = 0;
    this.data = [];
    this.op({ k: 'rollback' });
    try {
      this.finish(false);
    } catch {
      // the thread never started or stopped answering: it wrote nothing past the last commit it
      // made, and SQLite rolls back its open transaction when the process ends
    }
  }

  close(): void {
    if (!this.closed) this.finish(true);
  }

  private op(o: WriteOp): void {
    this.ops.push([this.n, o]);
  }

  private post(last: boolean): void {
    if (!last) this.throwFailure();
    const b: Batch = { open: this.open, events: this.events, n: this.n, data: this.data, ops: this.ops, last };
    this.t.worker.postMessage(b, [this.events.buffer]);
    this.t.sent++;
    this.open = undefined;
    this.events = new Float64Array(BATCH_EVENTS * EVENT_SLOTS);
    this.n = 0;
    this.data = [];
    this.ops = [];
    this.waitFor(last ? this.t.sent : this.t.sent - MAX_IN_FLIGHT);
  }

  /** Hand over the rest as the last batch and wait until it is written (or dropped after a failure). */
  private finish(check: boolean): void {
    this.closed = true;
    this.post(true);
    if (check) this.throwFailure();
  }

  /** Block until the writer has written `count` batches. */
  private waitFor(count: number): void {
    let written = Atomics.load(this.t.control, WRITTEN);
    let since = Date.now();
    const started = this.t.created;
    if (written < count && since - this.lastCheckpoint >= CHECKPOINT_EVERY_MS) {
      this.lastCheckpoint = since;
      checkpointWal(this.store);
      written = Atomics.load(this.t.control, WRITTEN);
    }
    while (written < count) {
      const timedOut = Atomics.wait(this.t.control, WRITTEN, written, 250) === 'timed-out';
      if (timedOut && !Atomics.load(this.t.control, STARTED) && Date.now() - started > START_MS) {
        throw new LabError(
          `the log writer thread did not start in ${START_MS / 1000} s; the run stops (resume it with --jobs 1, which writes on one thread)`,
        );
      }
      if (timedOut && Date.now() - since > STUCK_MS) {
        throw new LabError(`the log writer thread wrote nothing for ${STUCK_MS / 1000} s; the run stops (resume it later)`);
      }
      const now = Atomics.load(this.t.control, WRITTEN);
      if (now !== written) since = Date.now();
      written = now;
    }
  }

  private throwFailure(): void {
    if (Atomics.load(this.t.control, FAILED) === 0) return;
    const msg = receiveMessageOnPort(this.t.port);
    if (!msg) return; // set before the report arrives: the next hand-over throws it
    Atomics.store(this.t.control, FAILED, 0);
    const f = msg.message as WriterFailure;
    if (f.kind === 'lease') throw new LeaseLost(f.message);
    if (f.kind === 'lab') throw new LabError(f.message);
    throw Object.assign(new Error(f.message), f.code ? { code: f.code } : {});
  }
}
