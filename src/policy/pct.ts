import type { Rng } from '../kernel/rng.js';

/**
 * PCT (probabilistic concurrency testing; Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS
 * 2010) over the lab's tasks: every task, and the workload, gets a random priority of at least
 * `depth`; the highest-priority runnable one runs; at `depth − 1` change points, drawn uniformly
 * among the first `steps` scheduling units of each workload step, whoever is running drops to
 * priority depth − i (i = 1, 2, …), below every initial one. A bug that needs d ordering
 * constraints is then hit with probability ≥ 1 / (n · k^(d−1)) per schedule (n tasks, k units),
 * where the random scheduler's chance falls with every step the race needs.
 *
 * All draws come from the run's PRNG in a fixed order, so a schedule is a function of the seed
 * and replays exactly (its effects are the events; the scheduler itself logs nothing).
 */
export class PctScheduler {
  private readonly prio = new Map<object, number>();
  private workloadPrio = 0;
  private units = 0;
  private changes: number[] = [];
  private next = 0;
  private fresh = true;

  /**
   * Nothing carries from one workload step to the next (priorities, units and change points are
   * drawn at each step's first unit), so a run resumed from a snapshot, which is taken between
   * steps, schedules exactly as the uninterrupted run.
   */
  constructor(
    private readonly depth: number,
    private readonly steps: number,
  ) {}

  /** The priority of a task (drawn the first time the scheduler sees it). */
  priority(task: object, rng: Rng): number {
    let p = this.prio.get(task);
    if (p === undefined) {
      p = this.initial(rng);
      this.prio.set(task, p);
    }
    return p;
  }

  /** The workload's priority in this step (a new step draws it and its change points first). */
  workload(rng: Rng): number {
    if (this.fresh) this.begin(rng);
    return this.workloadPrio;
  }

  /**
   * One scheduling unit ran (a workload operation, or a task's step); at a change point the one
   * that ran drops below every initial priority (the workload when `task` is null).
   */
  ran(task: object | null, rng: Rng): void {
    if (this.fresh) this.begin(rng);
    this.units++;
    if (this.next >= this.changes.length || this.changes[this.next] !== this.units) return;
    const low = this.depth - 1 - this.next;
    this.next++;
    if (task) this.prio.set(task, low);
    else this.workloadPrio = low;
  }

  /** The workload step ended (every task ran to its end): the next one draws anew. */
  endStep(): void {
    this.prio.clear();
    this.fresh = true;
  }

  forget(task: object): void {
    this.prio.delete(task);
  }

  private initial(rng: Rng): number {
    return this.depth + rng.int(1 << 20);
  }

  private begin(rng: Rng): void {
    this.fresh = false;
    this.units = 0;
    this.next = 0;
    this.workloadPrio = this.initial(rng);
    const span = this.steps;
    const points = new Set<number>();
    // distinct positions in 1..span (fewer when span < depth − 1)
    for (let i = 0; i < this.depth - 1 && points.size < span; ) {
      const p = 1 + rng.int(span);
      if (!points.has(p)) {
        points.add(p);
        i++;
      }
    }
    this.changes = [...points].sort((a, b) => a - b);
  }
}

/** Defaults: three ordering constraints, change points among a step's first 1,000 units. */
export const PCT_DEPTH = 3;
export const PCT_STEPS = 1000;

/** The experiment fields' descriptions (the schema and the JSON Schema editors show). */
export const PCT_HELP = {
  scheduler:
    'random (default): each task steps with stepProbability at each preemption point; pct: PCT priorities with depth − 1 change points per workload step (stepProbability unused)',
  pctDepth: 'PCT: the ordering constraints a bug may need; depth − 1 priority change points per workload step (default 3)',
  pctSteps:
    'PCT: how many scheduling units (workload operations and task steps) of each workload step the change points are drawn among (default 1000; about the operations of one step)',
} as const;
