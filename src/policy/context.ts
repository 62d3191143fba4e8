import type { Event } from '../kernel/events.js';
import type { Rng } from '../kernel/rng.js';
import type { KernelView } from '../kernel/state.js';
import type { Policy } from './policies.js';
import type { Tasks } from './tasks.js';

/**
 * What a decider sees: the state (deeply read only: the compiler rejects a write), the policy,
 * and `emit`, which appends an event and applies it through `evolve` before returning — so the
 * next decision reads the updated state.
 */
export interface Ctx {
  readonly s: KernelView;
  readonly policy: Policy;
  /** the run's one PRNG, for the kernel's own random choices (memcg LRU bins) */
  readonly rng: Rng;
  emit(e: Event): void;
  /** Advance simulated time by one tick (one workload step); events are stamped with it. */
  advance(): void;
  /**
   * Move simulated time on to `tick` if it is behind it (a recorded trace's clock); never back.
   * A workload that replays recorded times calls it before each step instead of advance().
   */
  advanceTo(tick: number): void;
  /**
   * The current task sleeps `ms` milliseconds (jiffies at HZ = 1000): simulated time advances by
   * ceil(ms / machine.msPerTick) ticks, which it returns. The caller emits an event after it, so
   * the log (and a resume) sees the wake-up time.
   */
  sleep(ms: number): number;
  /**
   * A point inside a kernel path of the workload where it can be preempted (no time passes): in
   * memcg offline (machine.concurrency.offlineWorker) or between the priority passes of its direct
   * reclaim (machine.concurrency.directReclaim), the other tasks may run a step here.
   */
  yieldPoint(path: 'offline' | 'reclaim'): void;
  /** kernel work running beside the workload (machine.concurrency), or null: everything runs inline */
  readonly tasks: Tasks | null;
}
