import { z } from 'zod';
import { PAGE_SIZE, ROOT_MEMCG } from '../kernel/constants.js';
import { E, LIMIT_HIGH, LIMIT_MAX, MACHINE_MGLRU, MACHINE_OBJCG } from '../kernel/events.js';
import { pageCacheKey } from '../kernel/state.js';
import type { Ctx } from '../policy/context.js';
import { mkdir, rmdir } from '../policy/cgroup.js';
import { faultAnon, freeFolio, readPage, writePage } from '../policy/pagecache.js';
import { AccessSchema, makeSampler, type Sampler } from './distribution.js';
import { cgroupPath, count, LimitsSchema } from './options.js';
import type { Rng } from '../kernel/rng.js';
import type { LimitBytes, MachineSetup, Workload, WorkloadCursor, WorkloadKind } from './workload.js';

/** The file every instance reads (a binary, its config). */
export const SHARED_INODE = 1;
/** The log every instance appends to; its pages stay cached after the instance exits. */
export const LOG_INODE = 2;

/** The options of `workload.kind = "restart-cycles"`. */
export const RestartCyclesSchema = z.strictObject({
  kind: z.literal('restart-cycles'),
  cycles: z.number().int().positive(),
  parent: cgroupPath.default('/system.slice'),
  unit: z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'must be a unit name like "job"').default('job'),
  sharedFilePages: count.default(256),
  privateFilePages: count.default(4),
  anonPages: count.default(128),
  accessesPerCycle: count.default(2000),
  access: AccessSchema.default({ dist: 'zipf', alpha: 0.9 }),
  /** each instance first reads the whole shared file, like `cat` in the reproducer */
  readWholeFile: z.boolean().default(true),
  /** memory.max / memory.high written into every job cgroup right after mkdir */
  jobLimits: LimitsSchema.optional(),
});

export type RestartCycles = z.output<typeof RestartCyclesSchema>;

/**
 * A job restarted into a new cgroup each cycle (a systemd service or timer unit): the pattern
 * that leaves dying memcgs behind in the legacy kernel. One step is one cycle.
 */
export class RestartCyclesWorkload implements Workload {
  private readonly sampler: Sampler;
  /** the first cycle not yet run: the cursor */
  private nextCycle = 1;

  constructor(private readonly w: RestartCycles) {
    this.sampler = makeSampler(w.access, w.sharedFilePages);
  }

  get totalSteps(): number {
    return this.w.cycles;
  }

  stepsDone(): number {
    return this.nextCycle - 1;
  }

  /** `{ nextCycle }`: the shape snapshots have always stored next to the PRNG */
  cursor(): WorkloadCursor {
    return { nextCycle: this.nextCycle };
  }

  restore(cursor: WorkloadCursor): void {
    const c = cursor.nextCycle;
    if (!Number.isInteger(c) || (c as number) < 1) throw new Error(`restart-cycles: bad cursor ${JSON.stringify(cursor)}`);
    this.nextCycle = c as number;
  }

  step(ctx: Ctx, rng: Rng): void {
    this.runCycle(ctx, rng, this.nextCycle++);
  }

  /** Cycle 0: the machine and the parent slice (created once, never removed). */
  setup(ctx: Ctx, machine: MachineSetup): void {
    ctx.emit(E.machine(machine.memoryPages, (machine.mglru ? MACHINE_MGLRU : 0) | (machine.objcgCharging ? MACHINE_OBJCG : 0)));
    let parent = ROOT_MEMCG;
    for (const name of this.w.parent.split('/').filter(Boolean)) {
      parent = mkdir(ctx, parent, name);
      setLimits(ctx, parent, machine.limits?.[ctx.s.memcgs.get(parent)!.path]);
    }
  }

  private parentId(ctx: Ctx): number {
    let id = ROOT_MEMCG;
    for (const name of this.w.parent.split('/').filter(Boolean)) {
      const m = ctx.s.memcgs.get(id)!;
      const next = m.children.find((c) => ctx.s.memcgs.get(c)!.name === name);
      if (next === undefined) throw new Error(`parent cgroup ${this.w.parent} is missing`);
      id = next;
    }
    return id;
  }

  /** One restart: mkdir, run the instance, exit, rmdir. */
  private runCycle(ctx: Ctx, rng: Rng, cycle: number): void {
    const w = this.w;
    ctx.advance();
    const memcg = mkdir(ctx, this.parentId(ctx), `${w.unit}@${cycle}.service`);
    setLimits(ctx, memcg, w.jobLimits);
    ctx.emit(E.jobStart(memcg, cycle));
    if (w.readWholeFile) {
      for (let i = 0; i < w.sharedFilePages; i++) {
        ctx.advance();
        readPage(ctx, memcg, pageCacheKey(SHARED_INODE, i));
      }
    }
    const anon: number[] = [];
    for (let i = 0; i < w.anonPages; i++) {
      ctx.advance();
      anon.push(faultAnon(ctx, memcg));
    }
    // Private log pages are written at evenly spaced points of the instance's run.
    const logBase = (cycle - 1) * w.privateFilePages;
    let written = 0;
    for (let k = 0; k < w.accessesPerCycle; k++) {
      ctx.advance();
      if (w.sharedFilePages > 0) readPage(ctx, memcg, pageCacheKey(SHARED_INODE, this.sampler.sample(rng)));
      while (written < w.privateFilePages && (written + 0.5) * w.accessesPerCycle <= k + 1) {
        writePage(ctx, memcg, pageCacheKey(LOG_INODE, logBase + written++));
      }
    }
    while (written < w.privateFilePages) {
      ctx.advance();
      writePage(ctx, memcg, pageCacheKey(LOG_INODE, logBase + written++));
    }
    ctx.advance();
    for (const f of anon) freeFolio(ctx, f);
    ctx.emit(E.jobExit(memcg, cycle));
    rmdir(ctx, memcg);
    ctx.emit(E.cycle(cycle));
  }
}

/** Write memory.max / memory.high (bytes, rounded down to pages as the kernel does). */
function setLimits(ctx: Ctx, memcg: number, limits: LimitBytes | undefined): void {
  if (limits?.max !== undefined) ctx.emit(E.limitSet(memcg, LIMIT_MAX, Math.floor(limits.max / PAGE_SIZE)));
  if (limits?.high !== undefined) ctx.emit(E.limitSet(memcg, LIMIT_HIGH, Math.floor(limits.high / PAGE_SIZE)));
}

/** "/a/b" → ["/a", "/a/b"]: the cgroups setup creates. */
function ancestorsOf(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.map((_, i) => '/' + parts.slice(0, i + 1).join('/'));
}

export const restartCycles: WorkloadKind<RestartCycles> = {
  create: (o) => new RestartCyclesWorkload(o),
  describe: (o) => `${o.cycles} restart cycles`,
  setupCgroups: (o) => ancestorsOf(o.parent),
  estimate: (o) => {
    // per cycle: mkdir, limits, start, the whole-file read, anon faults and frees, the accesses,
    // the log writes, exit, rmdir and its offline/free/reparent events, the cycle mark
    const perCycle = (o.readWholeFile ? o.sharedFilePages : 0) + 2 * o.anonPages + o.accessesPerCycle + o.privateFilePages + 16;
    return {
      events: o.cycles * perCycle,
      pages: o.sharedFilePages + o.anonPages + o.cycles * o.privateFilePages,
      cgroups: o.cycles + ancestorsOf(o.parent).length,
    };
  },
  limitsHint: (o) => `only the workload parent (${o.parent}) and its ancestors exist from the start; limit job cgroups with workload.jobLimits`,
};
