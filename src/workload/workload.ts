import type { Ctx } from '../policy/context.js';

/** memory.max / memory.high in bytes; absent = no limit. */
export interface LimitBytes {
  max?: number;
  high?: number;
  min?: number;
  low?: number;
}

/** What a workload's setup takes from the experiment besides its own options. */
export interface MachineSetup {
  memoryPages: number;
  mglru: boolean;
  objcgCharging: boolean;
  /** NUMA nodes (absent: 1) */
  nodes?: number;
  /** folios placed round-robin over the nodes rather than on the job's home node */
  interleave?: boolean;
  /** limits of cgroups created at setup, by path */
  limits?: Record<string, LimitBytes>;
  /** swap and vm sysctls (absent: the kernel's defaults, no swap) */
  vm?: {
    swapPages?: number;
    swappiness?: number;
    minFreeKbytes?: number;
    watermarkScaleFactor?: number;
    writebackTicks?: number;
    ioTicks?: number;
  };
}

/**
 * Where a workload stands, as plain JSON: every snapshot saves it and resume restores it. The
 * runner stores it next to the PRNG state (`rng`), so a cursor has no key of that name.
 */
export type WorkloadCursor = Readonly<Record<string, unknown>>;

/**
 * A seeded generator of commands. The runner calls `setup` once for a fresh run, then `step`
 * until `stepsDone()` reaches `totalSteps`; a snapshot (and so a resume) may fall between any two
 * steps, so a step must leave everything it needs to go on in the state and the cursor.
 */
export interface Workload {
  readonly totalSteps: number;
  stepsDone(): number;
  /** the machine and the cgroups that live for the whole run */
  setup(ctx: Ctx, machine: MachineSetup): void;
  /** the next step, reading the state (ctx.s) and drawing from the run's PRNG */
  step(ctx: Ctx, rng: Ctx['rng']): void;
  cursor(): WorkloadCursor;
  restore(cursor: WorkloadCursor): void;
}

/**
 * A workload kind, next to the zod schema of its options (`kind` is the discriminator of the
 * experiment's `workload`): how to build one, and what the lab says about it.
 */
export interface WorkloadKind<O> {
  create(options: O): Workload;
  /** one line for people, e.g. "200 restart cycles" */
  describe(options: O): string;
  /** the cgroups setup creates (the only ones the experiment's `limits` may name) */
  setupCgroups(options: O): readonly string[];
  /** what to do instead when `limits` names another cgroup */
  limitsHint(options: O): string;
  /**
   * A rough size of the run before it starts (no memory pressure assumed): the events it appends
   * and the pages it touches. The lab refuses a run whose estimate exceeds the machine or
   * --max-events, instead of running for hours or running out of memory.
   */
  estimate(options: O): WorkloadEstimate;
}

export interface WorkloadEstimate {
  events: number;
  pages: number;
  /** cgroups created over the run */
  cgroups: number;
}
