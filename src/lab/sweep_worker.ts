/**
 * A sweep worker process (forked by runPool): opens the main database once, then runs each task it
 * is sent in a shard (src/lab/shard_run.ts) and reports progress, the result or the error. Exits
 * when told to, or when its parent goes away (its unfinished run then reads as interrupted).
 */
import { closeStore, openStore, type Store } from '../store/db.js';
import { setBusyTimeout } from '../store/sweeps.js';
import type { FromWorker, ToWorker } from './pool.js';
import type { RunResult } from './record.js';
import { runInMain, runInShard, type ShardTask } from './shard_run.js';

export interface WorkerTask extends ShardTask {
  db: string;
}

/** Moves take turns for the main database's write lock: wait for it this long (ms). */
const BUSY_TIMEOUT_MS = 10 * 60 * 1000;
/** At most this often (ms) a progress message. */
const PROGRESS_EVERY_MS = 200;

let main: Store | undefined;

function send(m: FromWorker<RunResult>): void {
  process.send?.(m);
}

function handle(task: number, t: WorkerTask): void {
  if (!main || main.path !== t.db) {
    if (main) closeStore(main);
    main = openStore(t.db);
    setBusyTimeout(main, BUSY_TIMEOUT_MS);
  }
  let last = 0;
  const onProgress = (done: number, total: number) => {
    const now = Date.now();
    if (now - last < PROGRESS_EVERY_MS && done < total) return;
    last = now;
    send({ kind: 'progress', task, done, total });
  };
  try {
    const run = t.direct ? runInMain : runInShard;
    send({ kind: 'done', task, result: run(main, t, { repro: t.repro, onProgress, pipeline: t.pipeline }) });
  } catch (e) {
    send({ kind: 'error', task, message: (e as Error).message });
  }
}

process.on('message', (m: ToWorker<WorkerTask>) => {
  if (m.kind === 'task') return handle(m.task, m.payload);
  if (main) closeStore(main);
  process.disconnect?.();
  process.exitCode = 0;
});
process.on('disconnect', () => {
  if (main) closeStore(main);
  main = undefined;
});
