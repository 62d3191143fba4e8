import { type ChildProcess, fork } from 'node:child_process';

/** Parent → worker. */
export type ToWorker<T> = { kind: 'task'; task: number; payload: T } | { kind: 'exit' };
/** Worker → parent. */
export type FromWorker<R> =
  | { kind: 'progress'; task: number; done: number; total: number }
  | { kind: 'done'; task: number; result: R }
  | { kind: 'error'; task: number; message: string };

export interface PoolHandlers<R> {
  onStart?: (task: number, pid: number) => void;
  onProgress?: (task: number, done: number, total: number) => void;
  onDone?: (task: number, result: R) => void;
  onError?: (task: number, message: string) => void;
}

export type Outcome<R> = { ok: true; result: R } | { ok: false; message: string };

/**
 * Run tasks on `jobs` child processes (`child_process.fork` of `script`), each taking the next
 * task when it finishes one. Child processes, not threads: each writes SQLite files on its own
 * connection. A task that fails, or whose worker dies, is reported and the others go on; a dead
 * worker is replaced while tasks remain. Outcomes come back in task order.
 */
export function runPool<T, R>(script: string, payloads: T[], jobs: number, h: PoolHandlers<R> = {}): Promise<Outcome<R>[]> {
  const outcomes: (Outcome<R> | undefined)[] = new Array(payloads.length);
  let next = 0;
  let live = 0;
  return new Promise((resolve) => {
    if (!payloads.length) return resolve([]);
    const finishIfIdle = () => {
      if (live === 0) resolve(outcomes.map((o) => o ?? { ok: false, message: 'not run' }));
    };
    const spawn = () => {
      const child: ChildProcess = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      live++;
      let current = -1;
      const give = () => {
        if (next >= payloads.length) {
          current = -1;
          child.send({ kind: 'exit' } satisfies ToWorker<T>);
          return;
        }
        current = next++;
        h.onStart?.(current, child.pid ?? 0);
        child.send({ kind: 'task', task: current, payload: payloads[current] } satisfies ToWorker<T>);
      };
      child.on('message', (m: FromWorker<R>) => {
        if (m.kind === 'progress') return h.onProgress?.(m.task, m.done, m.total);
        if (m.kind === 'done') {
          outcomes[m.task] = { ok: true, result: m.result };
          h.onDone?.(m.task, m.result);
        } else {
          outcomes[m.task] = { ok: false, message: m.message };
          h.onError?.(m.task, m.message);
        }
        give();
      });
      child.on('exit', (code, signal) => {
        live--;
        if (current >= 0 && !outcomes[current]) {
          const message = `worker ${child.pid} died (${signal ?? `exit ${code}`}) while running it`;
          outcomes[current] = { ok: false, message };
          h.onError?.(current, message);
          if (next < payloads.length) spawn();
        }
        finishIfIdle();
      });
      give();
    };
    for (let i = 0; i < Math.min(jobs, payloads.length); i++) spawn();
  });
}
