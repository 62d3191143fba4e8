import type { Event } from '../kernel/events.js';
import { seriesSwitches } from '../kernel/series.js';
import type { KernelState } from '../kernel/state.js';
import { getPolicy } from '../policy/policies.js';
import type { Workload } from '../workload/workload.js';
import { type Experiment, workloadKind } from './experiment.js';
import { Simulation } from './simulation.js';
import { bytesToPages } from './sizes.js';

/**
 * What a snapshot keeps besides the kernel state so a run can go on: the PRNG and the workload's
 * cursor, flat (`{ rng, ...cursor }`), so snapshots written before workloads had an interface
 * (`{ rng, nextCycle }`) resume unchanged. The store keeps it as opaque JSON.
 */
export type RunnerState = { rng: number[]; [cursor: string]: unknown };

/** A run restored from a snapshot: the state and the runner state saved with it. */
export interface Restored {
  state: KernelState;
  runner: RunnerState;
}

/** A run in progress: the simulation, its workload, and what a snapshot taken now must keep. */
export interface Runner {
  sim: Simulation;
  workload: Workload;
  runnerState(): RunnerState;
}

export interface RunnerOptions {
  /** go on from a snapshot instead of setting the machine up */
  from?: Restored;
  checkInvariants?: boolean;
  /** the command that repeats this run, named by a broken invariant */
  repro?: string;
  /** after every workload step (the store-backed run commits and snapshots here) */
  afterStep?: (r: Runner) => void;
  /** after every step, with (steps done, steps total) */
  onProgress?: (done: number, total: number) => void;
}

/**
 * The one loop that drives a workload: setup (fresh run) or restore (resume), then every step
 * until the workload is done. Events go to `sink` right after `evolve` applied them. Running,
 * resuming, the benchmarks and the tests all run experiments through here, so a resumed run takes
 * the same decisions in the same order as an uninterrupted one.
 */
export function runWorkload(exp: Experiment, sink: (e: Event, s: KernelState) => void, opts: RunnerOptions = {}): Runner {
  const policy = getPolicy(
    exp.policy,
    exp.policyOptions.mglru,
    seriesSwitches(exp.machine.kernel, exp.machine.switches),
    exp.policyOptions.bug ?? null,
  );
  const sim = new Simulation(
    policy,
    exp.seed,
    sink,
    {
      checkInvariants: opts.checkInvariants,
      repro: opts.repro,
      msPerTick: exp.machine.msPerTick,
      concurrency: exp.machine.concurrency,
    },
    opts.from?.state,
  );
  const workload = workloadKind(exp.workload).create(exp.workload);
  if (opts.from) {
    const { rng, ...cursor } = opts.from.runner;
    sim.rng.setState(rng);
    workload.restore(cursor);
  } else {
    workload.setup(sim, {
      memoryPages: bytesToPages(exp.machine.memory),
      mglru: exp.machine.lru === 'mglru',
      objcgCharging: policy.objcgCharging,
      nodes: exp.machine.nodes,
      interleave: exp.machine.placement === 'interleave',
      limits: exp.limits,
      vm: {
        swapPages: bytesToPages(exp.machine.swap),
        swappiness: exp.machine.swappiness,
        minFreeKbytes: exp.machine.minFreeKbytes,
        watermarkScaleFactor: exp.machine.watermarkScaleFactor,
        writebackTicks: exp.machine.writebackTicks,
        ioTicks: exp.machine.ioTicks,
      },
    });
  }
  const runnerState = (): RunnerState => {
    const cursor = workload.cursor();
    if ('rng' in cursor) throw new Error(`${exp.workload.kind}: a workload cursor may not have a key named rng`);
    return { rng: sim.rng.getState(), ...cursor };
  };
  const runner: Runner = { sim, workload, runnerState };
  while (workload.stepsDone() < workload.totalSteps) {
    workload.step(sim, sim.rng);
    sim.endStep();
    opts.afterStep?.(runner);
    opts.onProgress?.(workload.stepsDone(), workload.totalSteps);
  }
  return runner;
}
