import { CgroupReaderTask } from './cgroup_reader.js';
import type { Ctx } from './context.js';
import { DeferredSplitTask } from './deferred_split.js';
import { LruActivateTask } from './lru_batch.js';
import { MemcgGetterTask } from './memcg_getter.js';
import { NEIGHBOUR_READS_PER_OPERATION, NeighbourTask } from './neighbour.js';
import { PCT_DEPTH, PCT_STEPS, PctScheduler } from './pct.js';

/**
 * Kernel work that runs as a task of its own beside the workload (machine.concurrency): a
 * deterministic scheduler over the run's PRNG. The workload is the main task; at each of its
 * preemption points (Ctx.advance: between two operations) every other task runs its next step
 * with probability `stepProbability`, so the interleaving is a function of the seed and is
 * visible in the log as the tasks' events between the workload's. At the end of a workload step
 * every task runs to its end (a snapshot never holds a task half done).
 */
export interface Task {
  /** One step (emitting its events); true when the task is done. */
  step(ctx: Ctx): boolean;
}

export interface ConcurrencyOptions {
  /** the MGLRU page-table walk (try_to_inc_max_seq → walk_mm) runs as its own task */
  agingWalk: boolean;
  /** a /proc/kpagecgroup reader (page_cgroup_ino) runs beside the workload */
  cgroupReader: boolean;
  /** folio_activate() goes through the per-CPU folio batch, drained by a task (classic LRU) */
  lruBatch: boolean;
  /** kswapd runs as a task of its own, one balance_pgdat() priority pass per step (vmscan/kswapd.ts) */
  kswapd?: boolean;
  /** the workload's memory.reclaim agents (workload.proactive) run as tasks, one reclaim pass per step */
  memoryReclaim?: boolean;
  /** a second job on another CPU reads random pages of its own file of this many pages (policy/neighbour.ts) */
  neighbour?: number;
  /** the workload's direct reclaim yields between its priority passes (do_try_to_free_pages) */
  directReclaim?: boolean;
  /** memcg offline yields where the kernel can be preempted: after max_lru_gen_memcg, before the locks, and between nodes */
  offlineWorker?: boolean;
  /** get_mem_cgroup_from_folio() runs beside the workload (policy/memcg_getter.ts) */
  memcgGetter?: boolean;
  /** THP deferred split queues per memcg, reparented on offline; deferred_split_folio() runs as a task (deferred_split.ts) */
  thpSplitQueue?: boolean;
  /** the chance a waiting task runs its next step at each preemption point of the workload */
  stepProbability: number;
  /** 'pct': a PCT priority scheduler (policy/pct.ts) instead of the coin per task and point */
  scheduler?: 'random' | 'pct';
  /** PCT: d, the ordering constraints a bug may need (d − 1 change points per workload step) */
  pctDepth?: number;
  /** PCT: the scheduling units of a workload step the change points are drawn among */
  pctSteps?: number;
}

/** The options that each start a task; any one of them on starts the scheduler. */
export const TASK_OPTIONS = [
  'agingWalk',
  'cgroupReader',
  'lruBatch',
  'memcgGetter',
  'thpSplitQueue',
  'kswapd',
  'memoryReclaim',
  'offlineWorker',
  'directReclaim',
  'neighbour',
] as const satisfies readonly (keyof ConcurrencyOptions)[];

export function anyTask(c: Partial<ConcurrencyOptions>): boolean {
  return TASK_OPTIONS.some((k) => Boolean(c[k]));
}

export class Tasks {
  private readonly running: Task[] = [];
  /** the kpagecgroup reader running, if any (one at a time, a new one when it is done) */
  private reader: Task | null = null;
  /** each node's kswapd task while it runs (kswapd0, kswapd1, …: one per node) */
  private readonly kswapds = new Map<number, Task>();
  /** memory.reclaim writes in progress: the task → the memcg whose file it writes */
  private readonly writes = new Map<Task, number>();
  /** the get_mem_cgroup_from_folio() caller running, if any (one at a time, like the reader) */
  private getter: Task | null = null;
  /** the neighbour's next read, if it is waiting to run (one at a time) */
  private neighbour: Task | null = null;
  /** reads the neighbour may still start before the workload's next operation */
  private neighbourBudget = NEIGHBOUR_READS_PER_OPERATION;
  /** a task is running a step (preempt() inside it does nothing) */
  private stepping = false;

  /** folios waiting in the activate batch (folio_activate() takes a folio off the LRU flag once) */
  private readonly activating = new Set<number>();

  private readonly pct: PctScheduler | null;

  constructor(
    readonly opts: ConcurrencyOptions,
    /** policyOptions.bug = no-rcu: the reader reads without rcu_read_lock */
    private readonly readerWithoutRcu = false,
    /** policyOptions.bug = no-recheck: folio_lruvec_lock without the recheck */
    private readonly lockWithoutRecheck = false,
    /** policyOptions.bug = unbounded-retry: the getter retries css_tryget without re-reading folio_memcg() */
    private readonly getterWithoutReread = false,
    /** policyOptions.bug = split-queue-no-recheck: split_queue_lock without the css_is_dying recheck */
    private readonly splitQueueWithoutRecheck = false,
  ) {
    this.pct = opts.scheduler === 'pct' ? new PctScheduler(opts.pctDepth ?? PCT_DEPTH, opts.pctSteps ?? PCT_STEPS) : null;
  }

  /** folio_activate() into the batch: false when the folio is already in it. */
  activate(folio: number): boolean {
    if (this.activating.has(folio)) return false;
    this.activating.add(folio);
    this.running.push(new LruActivateTask(folio, !this.lockWithoutRecheck, () => this.activating.delete(folio)));
    return true;
  }

  /** Node nid's kswapd was woken: its task, unless it is running already. */
  kswapd(nid: number, make: () => Task): void {
    if (this.kswapds.has(nid)) return;
    const t = make();
    this.kswapds.set(nid, t);
    this.running.push(t);
  }

  /**
   * A write to memcg's memory.reclaim, run a step (one reclaim pass) at a time. The writer is
   * already running on its CPU: its first pass runs now, the rest when the scheduler picks it.
   */
  writeTo(memcg: number, steps: Generator<void, unknown>): void {
    if (steps.next().done) return;
    const t: Task = { step: () => steps.next().done === true };
    this.writes.set(t, memcg);
    this.running.push(t);
  }

  /** rmdir → kernfs_remove() → kernfs_drain(): writes in progress to the cgroup's files finish first. */
  drainWritesTo(ctx: Ctx, memcg: number): void {
    for (let i = 0; i < this.running.length; ) {
      if (this.writes.get(this.running[i]) !== memcg) i++;
      else if (this.run(this.running[i], ctx)) this.finish(i);
    }
  }

  /** deferred_split_folio(folio) from a partial munmap, as a task (machine.concurrency.thpSplitQueue). */
  deferredSplit(folio: number): void {
    this.running.push(new DeferredSplitTask(folio, !this.splitQueueWithoutRecheck));
  }

  spawn(t: Task): void {
    this.running.push(t);
  }

  /**
   * The workload starts its next operation (Ctx.advance). The neighbour runs at most
   * NEIGHBOUR_READS_PER_OPERATION reads per workload operation, however many yield points that
   * operation has: a CPU as fast as the workload's, not one that can take every page the
   * workload's reclaim frees (that would be a livelock the lab made, not the kernel).
   */
  newOperation(): void {
    this.neighbourBudget = NEIGHBOUR_READS_PER_OPERATION;
  }

  /** A preemption point of the workload: each task may run one step (one draw per task). */
  preempt(ctx: Ctx): void {
    if (this.stepping) return;
    if (this.opts.cgroupReader && !this.reader) {
      this.reader = new CgroupReaderTask(!this.readerWithoutRcu);
      this.running.push(this.reader);
    }
    if (this.opts.neighbour && !this.neighbour && this.neighbourBudget > 0) {
      this.neighbourBudget--;
      this.neighbour = new NeighbourTask(this.opts.neighbour);
      this.running.push(this.neighbour);
    }
    if (this.opts.memcgGetter && !this.getter) {
      this.getter = new MemcgGetterTask(!this.getterWithoutReread);
      this.running.push(this.getter);
    }
    if (this.pct) return this.preemptByPriority(ctx, this.pct);
    for (let i = 0; i < this.running.length; ) {
      if (ctx.rng.float() < this.opts.stepProbability && this.run(this.running[i], ctx)) this.finish(i);
      else i++;
    }
  }

  /** PCT: the workload ran a unit; every task above it in priority runs, highest first, step by step. */
  private preemptByPriority(ctx: Ctx, pct: PctScheduler): void {
    pct.ran(null, ctx.rng);
    for (;;) {
      const floor = pct.workload(ctx.rng);
      let best = -1;
      let top = floor;
      for (let i = 0; i < this.running.length; i++) {
        const p = pct.priority(this.running[i], ctx.rng);
        if (p > top) {
          top = p;
          best = i;
        }
      }
      if (best < 0) return;
      const t = this.running[best];
      const done = this.run(t, ctx);
      pct.ran(t, ctx.rng);
      if (done) this.finish(best);
    }
  }

  /** The workload step ended (after drain): a PCT scheduler draws the next step's priorities afresh. */
  endStep(): void {
    this.pct?.endStep();
  }

  /** Run every task to its end (end of a workload step, or a path that must wait for one). */
  drain(ctx: Ctx): void {
    while (this.running.length) if (this.run(this.running[0], ctx)) this.finish(0);
  }

  /**
   * One step of a task. A step is atomic: a yield point reached inside it (the neighbour's direct
   * reclaim, say) schedules nobody, or a task would run inside its own step.
   */
  private run(t: Task, ctx: Ctx): boolean {
    this.stepping = true;
    try {
      return t.step(ctx);
    } finally {
      this.stepping = false;
    }
  }

  private finish(i: number): void {
    this.pct?.forget(this.running[i]);
    if (this.running[i] === this.reader) this.reader = null;
    for (const [nid, t] of this.kswapds) if (t === this.running[i]) this.kswapds.delete(nid);
    this.writes.delete(this.running[i]);
    if (this.running[i] === this.getter) this.getter = null;
    if (this.running[i] === this.neighbour) this.neighbour = null;
    this.running.splice(i, 1);
  }
}
