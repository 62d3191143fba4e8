import { z } from 'zod';
import { ROOT_MEMCG } from '../kernel/constants.js';
import { E } from '../kernel/events.js';
import { type KernelView, MEMCG_ONLINE, pageCacheKey } from '../kernel/state.js';
import { mkdir, rmdir } from '../policy/cgroup.js';
import type { Ctx } from '../policy/context.js';
import { faultAnon, freeFolio, readPage, writePage } from '../policy/pagecache.js';
import { bootMachine, setLimits } from './setup.js';
import { OP_EXIT, OP_FAULT, OP_FREE, OP_MKDIR, OP_READ, OP_RMDIR, OP_WRITE, parentPath, type Trace } from './trace_records.js';
import type { MachineSetup, Workload, WorkloadCursor, WorkloadKind } from './workload.js';

/**
 * The options of `workload.kind = "trace"`. `file` is relative to the experiment file as written;
 * the lab makes it absolute and records the file's `sha256` when a run begins, so the stored
 * experiment names exactly the bytes it replayed (and resume refuses any others).
 */
export const TraceSchema = z.strictObject({
  kind: z.literal('trace').describe('replay a recorded trace: mkdir/rmdir/read/write/fault/free/exit records of cgroups'),
  file: z
    .string()
    .min(1, 'must name the trace file (CSV or JSONL), relative to the experiment file')
    .regex(/\.(csv|jsonl|ndjson)$/i, 'must end in .csv, .jsonl or .ndjson (the format follows the extension)')
    .describe('the trace file, relative to the experiment file: CSV (header tick,cgroup,op,inode,index,pages) or JSONL'),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be the sha256 of the trace file, 64 lowercase hex digits (leave it out and the run records it)')
    .optional()
    .describe('pins the trace: a file with another sha256 is refused (absent: the run records the sha256 it read)'),
});

export type TraceOptions = z.output<typeof TraceSchema>;

/**
 * Replays a recorded trace, one record a step (the cursor is the record's index):
 * - `mkdir` / `rmdir` a cgroup (rmdir takes the cgroup offline: the policy reparents or leaves its
 *   folios; its task exits first, as a cgroup with tasks cannot be removed); each rmdir ends a cycle;
 * - `read` / `write` pages index..index+pages-1 of inode through the page cache, charged to the
 *   cgroup of the task on a miss (write leaves the new pages dirty);
 * - `fault` anonymous pages, named by (inode, index) as an id of the memory (a touch of one
 *   already faulted marks it young; one reclaimed to swap is faulted anew: the model has no swap-in);
 * - `free` those anon pages, or (when no anon has that name) truncate those page cache pages;
 * - `exit`: the cgroup's task exits and its anon is freed.
 * A cgroup's task starts at its first read, write or fault. A task the OOM killer picked exits at
 * once; the next record of its cgroup starts a new one. Ticks are the trace's, from 1 at its first
 * record; each page takes a tick at least, so a busy stretch runs ahead and a pause catches up.
 */
export class TraceWorkload implements Workload {
  /** the next record: the cursor */
  private next = 0;
  /** the tick of the last page step (a step may run ahead of the trace's clock) */
  private at = 0;
  /** anon pages by name (inode × 2^32 + index), in fault order: who faulted them and the folio */
  private anon = new Map<number, { memcg: number; folio: number }>();
  /** anon names per memcg, in fault order (exit frees them) */
  private anonOf = new Map<number, Set<number>>();
  /** online cgroups by path; rebuilt from the state after a restore */
  private online: Map<string, number> | undefined;

  constructor(private readonly trace: Trace) {}

  get totalSteps(): number {
    return this.trace.records.length;
  }

  stepsDone(): number {
    return this.next;
  }

  /** `{ nextRecord, tick, anon: [name, memcg, folio, …] }` */
  cursor(): WorkloadCursor {
    const anon: number[] = [];
    for (const [name, a] of this.anon) anon.push(name, a.memcg, a.folio);
    return { nextRecord: this.next, tick: this.at, anon };
  }

  restore(cursor: WorkloadCursor): void {
    const { nextRecord, tick, anon } = cursor as { nextRecord?: unknown; tick?: unknown; anon?: unknown };
    const ok =
      Number.isInteger(nextRecord) &&
      (nextRecord as number) >= 0 &&
      (nextRecord as number) <= this.totalSteps &&
      Number.isInteger(tick) &&
      Array.isArray(anon) &&
      anon.length % 3 === 0 &&
      anon.every(Number.isInteger);
    if (!ok) throw new Error(`trace: bad cursor ${JSON.stringify(cursor).slice(0, 200)}`);
    this.next = nextRecord as number;
    this.at = tick as number;
    this.anon.clear();
    this.anonOf.clear();
    const list = anon as number[];
    for (let i = 0; i < list.length; i += 3) this.remember(list[i], list[i + 1], list[i + 2]);
    this.online = undefined;
  }

  /** The machine and the cgroups that exist before the trace begins (with their limits). */
  setup(ctx: Ctx, machine: MachineSetup): void {
    bootMachine(ctx, machine);
    const online = this.onlineCgroups(ctx.s);
    for (const path of this.trace.setup) {
      const id = mkdir(ctx, online.get(parentPath(path))!, path.slice(path.lastIndexOf('/') + 1));
      online.set(path, id);
      setLimits(ctx, id, machine.limits?.[path]);
    }
  }

  step(ctx: Ctx): void {
    const r = this.trace.records;
    const i = this.next++;
    const path = r.path(i);
    const online = this.onlineCgroups(ctx.s);
    const target = r.tick[i] - r.tick[0] + 1;
    const tick = () => {
      this.at = Math.max(this.at + 1, ctx.s.tick + 1, target);
      ctx.advanceTo(this.at);
    };
    const op = r.op[i];
    if (op === OP_MKDIR) {
      tick();
      online.set(path, mkdir(ctx, online.get(parentPath(path))!, path.slice(path.lastIndexOf('/') + 1)));
    } else if (op === OP_RMDIR) {
      const memcg = online.get(path)!;
      this.exit(ctx, memcg, tick);
      tick();
      rmdir(ctx, memcg);
      online.delete(path);
      ctx.emit(E.cycle(ctx.s.cycle + 1));
    } else if (op === OP_EXIT) {
      this.exit(ctx, online.get(path)!, tick);
    } else if (op === OP_FREE) {
      for (let k = 0; k < r.pages[i]; k++) this.free(ctx, r.inode[i], r.index[i] + k, tick);
    } else {
      const memcg = online.get(path)!;
      for (let k = 0; k < r.pages[i]; k++) {
        this.startTask(ctx, memcg, tick);
        tick();
        const key = pageCacheKey(r.inode[i], r.index[i] + k);
        if (op === OP_READ) readPage(ctx, memcg, key);
        else if (op === OP_WRITE) writePage(ctx, memcg, key, true);
        else if (op === OP_FAULT) this.fault(ctx, memcg, key);
        if (ctx.s.memcgs.get(memcg)!.oomVictim) {
          this.exit(ctx, memcg, tick); // killed mid-record: the rest of it never happened
          break;
        }
      }
    }
    // the last cycle ends with the trace
    if (this.next === r.length && op !== OP_RMDIR) {
      tick();
      ctx.emit(E.cycle(ctx.s.cycle + 1));
    }
  }

  /** A task runs in the cgroup from its first access on; one the OOM killer picked is gone first. */
  private startTask(ctx: Ctx, memcg: number, tick: () => void): void {
    const m = ctx.s.memcgs.get(memcg)!;
    if (m.oomVictim) this.exit(ctx, memcg, tick);
    if (ctx.s.memcgs.get(memcg)!.nrTasks === 0) {
      tick();
      ctx.emit(E.jobStart(memcg, ctx.s.cycle + 1));
    }
  }

  /** Fault an anon page by name: a new one is charged to `memcg`; a resident one is touched (young PTE). */
  private fault(ctx: Ctx, memcg: number, name: number): void {
    const had = this.anon.get(name);
    if (had) {
      if (ctx.s.folios.has(had.folio)) return ctx.emit(E.access(had.folio));
      freeFolio(ctx, had.folio); // reclaimed to swap: drop its entry, fault it anew
      this.forget(name);
    }
    const folio = faultAnon(ctx, memcg);
    if (folio) this.remember(name, memcg, folio);
  }

  /** Free the anon page of that name, or else truncate the page cache page (inode, index). */
  private free(ctx: Ctx, inode: number, index: number, tick: () => void): void {
    const key = pageCacheKey(inode, index);
    const a = this.anon.get(key);
    if (a) {
      tick();
      freeFolio(ctx, a.folio);
      this.forget(key);
      return;
    }
    const cached = ctx.s.pageCache.get(key);
    if (cached === undefined) return;
    tick();
    freeFolio(ctx, cached);
  }

  /** The cgroup's task exits: its anon is freed (and its swap entries), then the task goes. */
  private exit(ctx: Ctx, memcg: number, tick: () => void): void {
    const names = this.anonOf.get(memcg);
    const task = ctx.s.memcgs.get(memcg)!.nrTasks > 0;
    if (!names?.size && !task) return;
    tick();
    for (const name of [...(names ?? [])]) {
      freeFolio(ctx, this.anon.get(name)!.folio);
      this.forget(name);
    }
    if (task) ctx.emit(E.jobExit(memcg, ctx.s.cycle + 1));
  }

  private remember(name: number, memcg: number, folio: number): void {
    this.anon.set(name, { memcg, folio });
    const set = this.anonOf.get(memcg) ?? new Set<number>();
    this.anonOf.set(memcg, set);
    set.add(name);
  }

  private forget(name: number): void {
    const a = this.anon.get(name);
    if (!a) return;
    this.anon.delete(name);
    this.anonOf.get(a.memcg)?.delete(name);
  }

  /** Online cgroups by path, read from the state once (after setup or a restore), then kept up to date. */
  private onlineCgroups(s: KernelView): Map<string, number> {
    if (!this.online) {
      this.online = new Map();
      for (const m of s.memcgs.values()) if (m.state === MEMCG_ONLINE) this.online.set(m.path, m.id);
      this.online.set('/', ROOT_MEMCG);
    }
    return this.online;
  }
}

/**
 * The trace workload kind. `load` reads the trace a set of options names: the lab's reader (IO,
 * parsing, the sha256 check), handed in so this file stays pure.
 */
export function traceKind(load: (o: TraceOptions) => Trace): WorkloadKind<TraceOptions> {
  return {
    create: (o) => new TraceWorkload(load(o)),
    describe: (o) => `${load(o).stats.records} trace records (${o.file.slice(o.file.lastIndexOf('/') + 1)})`,
    setupCgroups: (o) => load(o).setup,
    limitsHint: (o) =>
      `a trace's limits name cgroups that exist before it begins (${load(o).setup.join(', ') || 'none in this trace'}); the trace makes the others`,
    estimate: (o) => {
      const s = load(o).stats;
      // a page read or written: an access, on a miss a charge too (+ refault, activation); a fault: charge, and its
      // free at exit; mkdir: create + job start; rmdir: offline, splices, free, cycle
      return {
        events: 2 * s.filePages + 2 * s.anonPages + s.freePages + 3 * s.mkdirs + 12 * s.rmdirs + 2 * s.exits,
        pages: s.filePages + s.anonPages,
        cgroups: s.mkdirs + load(o).setup.length,
      };
    },
  };
}
