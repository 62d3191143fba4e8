import { setDebugVm } from '../kernel/debug.js';
import type { Event } from '../kernel/events.js';
import { EVENT_NAMES } from '../kernel/events.js';
import { evolve } from '../kernel/evolve.js';
import { checkInvariants } from '../kernel/invariants.js';
import { Rng } from '../kernel/rng.js';
import { createState, type KernelState } from '../kernel/state.js';
import type { Ctx } from '../policy/context.js';
import type { Policy } from '../policy/policies.js';
import { anyTask, type ConcurrencyOptions, Tasks } from '../policy/tasks.js';

/** Thrown when an invariant breaks while running with checks on: names the event and how to repeat it. */
export class InvariantError extends Error {}

/**
 * The running side of the loop: decide → emit → append + evolve. `emit` stamps seq and tick,
 * hands the event to the sink (the log) and applies it, so deciders always read current state.
 */
export class Simulation implements Ctx {
  readonly s: KernelState;
  readonly rng: Rng;
  private clock: number;

  constructor(
    readonly policy: Policy,
    seed: number,
    private readonly sink: (e: Event, s: KernelState) => void,
    private readonly opts: { checkInvariants?: boolean; repro?: string; msPerTick?: number; concurrency?: ConcurrencyOptions } = {},
    state?: KernelState,
  ) {
    if (opts.checkInvariants) setDebugVm(true); // --check: point-of-change assertions too
    this.s = state ?? createState();
    this.rng = new Rng(seed);
    this.clock = this.s.tick;
    const c = opts.concurrency;
    this.tasks =
      c && anyTask(c)
        ? new Tasks(
            c,
            policy.bug === 'no-rcu',
            policy.bug === 'no-recheck',
            policy.bug === 'unbounded-retry',
            policy.bug === 'split-queue-no-recheck',
          )
        : null;
  }

  readonly tasks: Tasks | null;

  /** One tick on; a preemption point of the workload, where other tasks may run a step. */
  advance(): void {
    this.clock++;
    this.tasks?.newOperation();
    this.tasks?.preempt(this);
  }

  yieldPoint(path: 'offline' | 'reclaim'): void {
    const o = this.tasks?.opts;
    if (o && (path === 'offline' ? o.offlineWorker : o.directReclaim)) this.tasks!.preempt(this);
  }

  /** The end of a workload step: every task runs to its end. */
  endStep(): void {
    this.tasks?.drain(this);
    this.tasks?.endStep();
  }

  advanceTo(tick: number): void {
    if (tick > this.clock) this.clock = tick;
  }

  sleep(ms: number): number {
    const ticks = Math.ceil(ms / (this.opts.msPerTick ?? 1));
    this.clock += ticks;
    return ticks;
  }

  emit(e: Event): void {
    e.seq = this.s.seq + 1;
    e.tick = this.clock;
    evolve(this.s, e);
    this.sink(e, this.s);
    if (this.opts.checkInvariants) {
      const v = checkInvariants(this.s);
      if (v.length) {
        throw new InvariantError(
          `invariant ${v[0].invariant} broken after event seq ${e.seq} (${EVENT_NAMES[e.type]}): ${v[0].detail}` +
            (this.opts.repro ? `; repeat with: ${this.opts.repro}` : ''),
        );
      }
    }
  }
}
