import { z } from 'zod';
import { ROOT_MEMCG } from '../kernel/constants.js';
import { E } from '../kernel/events.js';
import type { Rng } from '../kernel/rng.js';
import { pageCacheKey } from '../kernel/state.js';
import { mkdir, rmdir } from '../policy/cgroup.js';
import type { Ctx } from '../policy/context.js';
import { faultAnon, freeFolio, mapPage, readPage, unmapPage, writePage } from '../policy/pagecache.js';
import { AccessSchema, makeSampler, type Sampler } from './distribution.js';
import { cgroupPath, count, LimitsSchema } from './options.js';
import { ProactiveSchema, runProactive } from './proactive.js';
import { ancestorsOf, bootMachine, setLimits } from './setup.js';
import type { MachineSetup, Workload, WorkloadCursor, WorkloadKind } from './workload.js';

/** The file every instance reads (a binary, its config). */
export const SHARED_INODE = 1;
/** The log every instance appends to; its pages stay cached after the instance exits. */
export const LOG_INODE = 2;

/** The options of `workload.kind = "restart-cycles"`. */
export const RestartCyclesSchema = z
  .strictObject({
    kind: z.literal('restart-cycles').describe('a job restarted into a new cgroup each cycle (a systemd service or timer unit)'),
    cycles: z.number().int().positive().describe('restarts: each is mkdir <parent>/<unit>@<n>.service, run, exit, rmdir'),
    parent: cgroupPath.default('/system.slice').describe('the cgroup the job cgroups are made in (created at setup)'),
    unit: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]+$/, 'must be a unit name like "job"')
      .default('job')
      .describe('the unit name: job cgroups are <parent>/<unit>@<cycle>.service'),
    sharedFilePages: count.default(256).describe('pages of the file every instance reads (inode 1)'),
    privateFilePages: count.default(4).describe('pages each instance appends to a log (inode 2) that stay cached after it exits'),
    anonPages: count.default(128).describe('anonymous pages each instance faults in and frees at exit'),
    accessesPerCycle: count.default(2000).describe('random reads of the shared file per instance'),
    access: AccessSchema.default({ dist: 'zipf', alpha: 0.9 }).describe('which shared-file pages the random reads pick'),
    readWholeFile: z.boolean().default(true).describe('each instance first reads the whole shared file, like `cat` in the reproducer'),
    jobLimits: LimitsSchema.optional().describe('memory.max / high / min / low written into every job cgroup right after mkdir'),
    // its random accesses to the mapped pages set young PTEs, found by reclaim's folio_referenced()
    mappedFraction: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe("share of the shared file's pages the job accesses through a shared mapping (spread evenly over the file)"),
    dirtyPrivate: z
      .boolean()
      .default(false)
      .describe('the private log pages are written dirty and stay so until the flusher writes them back'),
    proactive: z
      .array(ProactiveSchema)
      .default([])
      .describe("memory.reclaim writes at the end of a cycle's work (before the instance exits)"),
  })
  .superRefine((w, ctx) => {
    // a proactive entry names a cgroup setup creates, or the job cgroup of the one cycle it fires in
    const setup = ancestorsOf(w.parent);
    w.proactive.forEach((p, i) => {
      const job = new RegExp(`^${escapeRe(w.parent)}/${escapeRe(w.unit)}@(\\d+)\\.service$`).exec(p.cgroup);
      if (setup.includes(p.cgroup) || (job && p.atCycle === Number(job[1]))) return;
      ctx.addIssue({
        code: 'custom',
        path: ['proactive', i, 'cgroup'],
        message: `must be ${setup.join(' or ')}, or the job cgroup of the cycle it fires in (e.g. ${w.parent}/${w.unit}@3.service with atCycle 3)`,
      });
    });
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
    bootMachine(ctx, machine);
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

  /**
   * One restart: mkdir, run the instance, exit, rmdir. An instance whose task the OOM killer
   * picked (memcg.oomVictim, read after every step) stops where it is and goes on to exit.
   */
  private runCycle(ctx: Ctx, rng: Rng, cycle: number): void {
    const w = this.w;
    ctx.advance();
    const memcg = mkdir(ctx, this.parentId(ctx), `${w.unit}@${cycle}.service`);
    setLimits(ctx, memcg, w.jobLimits);
    ctx.emit(E.jobStart(memcg, cycle));
    const anon: number[] = [];
    this.runInstance(ctx, rng, memcg, cycle, anon);
    runProactive(ctx, w.proactive, cycle);
    ctx.advance();
    // exit: the mapping goes, then the anon memory (and its swap entries)
    if (w.mappedFraction > 0)
      for (let i = 0; i < w.sharedFilePages; i++) if (isMapped(i, w.mappedFraction)) unmapPage(ctx, pageCacheKey(SHARED_INODE, i));
    for (const f of anon) freeFolio(ctx, f);
    ctx.emit(E.jobExit(memcg, cycle));
    rmdir(ctx, memcg);
    ctx.emit(E.cycle(cycle));
  }

  /**
   * The instance's work: read the shared file, fault its anon, then random reads (through the
   * mapping for mappedFraction of the pages) with the log written at evenly spaced points. An
   * instance whose task the OOM killer picked (memcg.oomVictim) stops where it is.
   */
  private runInstance(ctx: Ctx, rng: Rng, memcg: number, cycle: number, anon: number[]): void {
    const w = this.w;
    const killed = () => ctx.s.memcgs.get(memcg)!.oomVictim;
    const step = (fn: () => void): boolean => {
      ctx.advance();
      fn();
      return killed();
    };
    if (w.readWholeFile) {
      for (let i = 0; i < w.sharedFilePages; i++) if (step(() => readPage(ctx, memcg, pageCacheKey(SHARED_INODE, i)))) return;
    }
    for (let i = 0; i < w.anonPages; i++) {
      if (
        step(() => {
          const f = faultAnon(ctx, memcg);
          if (f) anon.push(f);
        })
      )
        return;
    }
    const logBase = (cycle - 1) * w.privateFilePages;
    let written = 0;
    const writeLog = () => writePage(ctx, memcg, pageCacheKey(LOG_INODE, logBase + written++), w.dirtyPrivate);
    for (let k = 0; k < w.accessesPerCycle; k++) {
      const stop = step(() => {
        if (w.sharedFilePages > 0) {
          const i = this.sampler.sample(rng);
          if (isMapped(i, w.mappedFraction)) mapPage(ctx, memcg, pageCacheKey(SHARED_INODE, i));
          else readPage(ctx, memcg, pageCacheKey(SHARED_INODE, i));
        }
        while (written < w.privateFilePages && (written + 0.5) * w.accessesPerCycle <= k + 1) writeLog();
      });
      if (stop) return;
    }
    while (written < w.privateFilePages) if (step(writeLog)) return;
  }
}

/** Page i of the shared file is accessed through the mapping: mappedFraction of the pages, spread evenly. */
export function isMapped(i: number, fraction: number): boolean {
  return Math.floor((i + 1) * fraction) > Math.floor(i * fraction);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
  limitsHint: (o) =>
    `only the workload parent (${o.parent}) and its ancestors exist from the start; limit job cgroups with workload.jobLimits`,
};
