/**
 * The log writer thread of pipelined runs (lab/piped_writer.ts), one per process, serving its runs
 * one after another: for each it opens the run's database on its own connection and replays the
 * simulation's writes through a StoreLogWriter, batch by batch, in the order they were made. After
 * a failure it reports it once and drops the rest of that run (the transaction is rolled back, as
 * the one-thread writer's would be); every batch is counted either way, so the simulation never
 * waits for a batch that will not come.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { LabError } from '../errors.js';
import type { Store } from '../store/db.js';
import { StoreLogWriter } from '../store/log_writer.js';
import { openRunWriter } from '../store/writer_open.js';
import { LeaseLost, leaseHooks } from './run_lease.js';
import { type Batch, EVENT_SLOTS, FAILED, STARTED, WRITTEN, type WriteOp, type WriterFailure, type WriterInit } from './writer_protocol.js';

const init = workerData as WriterInit & { port: MessagePort };
const control = new Int32Array(init.control);
let run = 0;
let store: Store | undefined;
let writer: StoreLogWriter | undefined;
let failed = false;

function fail(e: unknown): void {
  failed = true;
  try {
    writer?.rollback();
  } catch {
    /* SQLite may have rolled back already */
  }
  const err = e as { message?: string; code?: unknown };
  const report: WriterFailure = {
    kind: e instanceof LeaseLost ? 'lease' : e instanceof LabError ? 'lab' : 'other',
    message: String(err?.message ?? e),
    code: typeof err?.code === 'string' ? err.code : undefined,
  };
  init.port.postMessage(report);
  Atomics.store(control, FAILED, 1);
}

function apply(w: StoreLogWriter, op: WriteOp): void {
  const p = w.projections;
  switch (op.k) {
    case 'begin':
      return w.begin();
    case 'commit':
      return w.commit();
    case 'rollback':
      return w.rollback();
    case 'snapshot':
      return w.snapshot(op.snap);
    case 'chain':
      return w.chainRow(op.row);
    case 'run':
      return w.updateRun(op.set);
    case 'memcg':
      return p.memcgCreated(op.row);
    case 'offline':
      return p.memcgOffline(run, op.id, op.seq, op.tick);
    case 'freed':
      return p.memcgFreed(run, op.id, op.seq, op.tick);
    case 'sample':
      return p.sample(op.row);
    case 'row':
      return p.row(op.table, op.row);
  }
}

function appendEvents(w: StoreLogWriter, b: Batch, from: number, to: number): void {
  const v = b.events;
  for (let i = from; i < to; i++) {
    const o = i * EVENT_SLOTS;
    const d = v[o + 7];
    w.appendRow(v[o], v[o + 1], v[o + 2], v[o + 3], v[o + 4], v[o + 5], v[o + 6], d < 0 ? null : b.data[d]);
  }
}

function write(b: Batch): void {
  if (!writer) throw new Error('the log writer thread got a batch before the run it belongs to');
  let done = 0;
  for (const [at, op] of b.ops) {
    appendEvents(writer, b, done, at);
    done = at;
    apply(writer, op);
  }
  appendEvents(writer, b, done, b.n);
}

Atomics.store(control, STARTED, 1);
Atomics.notify(control, WRITTEN);

parentPort!.on('message', (b: Batch) => {
  if (b.open) {
    run = b.open.run;
    failed = false;
    writer = undefined;
    try {
      store = openRunWriter(b.open.path);
      writer = new StoreLogWriter(store, run, leaseHooks(store, run));
    } catch (e) {
      fail(e);
    }
  }
  if (!failed) {
    try {
      write(b);
    } catch (e) {
      fail(e);
    }
  }
  if (b.last) {
    try {
      store?.sqlite.close();
    } catch {
      /* closing cannot lose anything committed */
    }
    store = undefined;
    writer = undefined;
  }
  Atomics.add(control, WRITTEN, 1);
  Atomics.notify(control, WRITTEN);
});
