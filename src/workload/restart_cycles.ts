import { z } from 'zod';
import { ROOT_MEMCG } from '../kernel/constants.js';
import { E } from '../kernel/events.js';
import type { Rng } from '../kernel/rng.js';
import { pageCacheKey } from '../kernel/state.js';
import { mkdir, rmdir } from '../policy/cgroup.js';
import type { Ctx } from '../policy/context.js';
import { faultAnon, freeFolio, mapPage, readPage, unmapPage, writePage, writeShmem } from '../policy/pagecache.js';
import { AccessSchema, makeSampler, type Sampler } from './distribution.js';
import { cgroupPath, count, LimitsSchema } from './options.js';
import { ProactiveSchema, runProactive } from './proactive.js';
import { ancestorsOf, bootMachine, setLimits } from './setup.js';
import { helperKeepsThps, jobMunmapsThp } from './thp_munmap.js';
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
    tmpfsPages: count
      .default(0)
      .describe(
        'pages each instance writes to its own tmpfs file (/dev/shm, a tmpfs /tmp) and leaves behind when it exits: swap-backed page cache on the anon LRU, which only swap can reclaim',
      ),
    tmpfsKeptCycles: count
      .default(0)
      .describe('cycles a left-behind tmpfs file stays before a cleanup removes it (its pages and swap entries freed); 0: never removed'),
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
    containers: count
      .max(64)
      .default(0)
      .describe(
        'child cgroups per job, like a Kubernetes pod with containers: the job cgroup is the pod, the work runs in <job>/container<i> (round-robin by operation); at exit the containers are removed, then the pod',
      ),
    units: z
      .number()
      .int()
      .positive()
      .max(1000)
      .default(1)
      .describe('units restarting on timers, like cron jobs: with more than one, unit k runs in <parent>/<unit>-<k>@<cycle>.service'),
    every: z
      .number()
      .int()
      .positive()
      .default(1)
      .describe('each unit restarts every this many cycles (its timer period); a cycle with no unit due only advances'),
    stagger: z
      .boolean()
      .default(false)
      .describe('spread the units over the period (unit k fires when (cycle-1) mod every = k mod every); false: all fire at once'),
    overlap: count
      .max(16)
      .default(0)
      .describe(
        'instances that outlive their cycle: an instance is removed only after this many later instances of its unit started (the new one starts before the old one goes)',
      ),
  })
  .superRefine((w, ctx) => {
    // the model keeps one mapping per page: instances of a shared mapping must not live side by side
    if (w.mappedFraction > 0 && (w.units > 1 || w.overlap > 0))
      ctx.addIssue({
        code: 'custom',
        path: ['mappedFraction'],
        message: 'must be 0 with units > 1 or overlap > 0 (one mapping per page is modelled: instances cannot map the file side by side)',
      });
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

/** One running instance: its unit, the cycle it started in, its cgroups, its anon and tmpfs folios. */
interface Instance {
  unit: number;
  cycle: number;
  /** the job cgroup (the pod when there are containers) */
  memcg: number;
  containers: number[];
  anon: number[];
  /** the pages of its tmpfs file (absent in cursors written before tmpfsPages existed) */
  tmpfs?: number[];
}

/** A tmpfs file an instance left behind: the cycle the cleanup removes it in (0: never) and its folios. */
type Leftover = number[];

const ints = (v: unknown): boolean => Array.isArray(v) && v.every((x) => Number.isInteger(x));
function isInstance(v: unknown): v is Instance {
  const o = v as Instance;
  return (
    !!o &&
    Number.isInteger(o.unit) &&
    Number.isInteger(o.cycle) &&
    Number.isInteger(o.memcg) &&
    ints(o.containers) &&
    ints(o.anon) &&
    (o.tmpfs === undefined || ints(o.tmpfs))
  );
}

/**
 * A job restarted into a new cgroup each cycle (a systemd service or timer unit): the pattern
 * that leaves dying memcgs behind in the legacy kernel. One step is one cycle.
 */
export class RestartCyclesWorkload implements Workload {
  private readonly sampler: Sampler;
  /** the first cycle not yet run: the cursor */
  private nextCycle = 1;
  /** instances started and not yet removed at the end of a step (only with overlap): the cursor's `live` */
  private live: Instance[] = [];
  /** tmpfs files left behind (and, with thpSplitQueue, a helper's THPs) not yet freed, oldest first: [removeAt, ...folios] (the cursor's `leftovers`) */
  private leftovers: Leftover[] = [];

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
    const c: Record<string, unknown> = { nextCycle: this.nextCycle };
    if (this.live.length) c.live = this.live.map((l) => ({ ...l }));
    if (this.leftovers.length) c.leftovers = this.leftovers.map((l) => [...l]);
    return c;
  }

  restore(cursor: WorkloadCursor): void {
    const c = cursor.nextCycle;
    const live = cursor.live ?? [];
    const leftovers = cursor.leftovers ?? [];
    if (
      !Number.isInteger(c) ||
      (c as number) < 1 ||
      !Array.isArray(live) ||
      !live.every(isInstance) ||
      !Array.isArray(leftovers) ||
      !leftovers.every((l) => ints(l) && (l as number[]).length > 0)
    )
      throw new Error(`restart-cycles: bad cursor ${JSON.stringify(cursor)}`);
    this.nextCycle = c as number;
    this.live = live.map((l) => ({ ...l, containers: [...l.containers], anon: [...l.anon], tmpfs: [...(l.tmpfs ?? [])] }));
    this.leftovers = (leftovers as number[][]).map((l) => [...l]);
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

  /** Whether unit `u`'s timer fires in `cycle` (every cycle with the defaults). */
  private due(u: number, cycle: number): boolean {
    const phase = (cycle - 1) % this.w.every;
    return this.w.stagger ? phase === u % this.w.every : phase === 0;
  }

  /**
   * One cycle: every unit due starts a new instance (mkdir, run), then the instances whose time is
   * up exit and go (rmdir): at once, or `overlap` firings later. With the defaults this is one
   * restart: mkdir, run, exit, rmdir. An instance whose task the OOM killer picked
   * (memcg.oomVictim, read after every step) stops where it is and goes on to exit.
   */
  private runCycle(ctx: Ctx, rng: Rng, cycle: number): void {
    const w = this.w;
    ctx.advance();
    this.removeLeftovers(ctx, cycle);
    for (let u = 0; u < w.units; u++) {
      if (!this.due(u, cycle)) continue;
      const inst = this.start(ctx, u, cycle);
      this.runInstance(ctx, rng, inst, cycle, u);
      this.live.push(inst);
    }
    runProactive(ctx, w.proactive, cycle);
    // the oldest instances of each unit beyond `overlap` go, in the order they started
    for (let u = 0; u < w.units; u++) {
      const mine = this.live.filter((i) => i.unit === u);
      for (const inst of mine.slice(0, Math.max(0, mine.length - w.overlap))) {
        this.live.splice(this.live.indexOf(inst), 1);
        this.retire(ctx, inst, cycle);
      }
    }
    ctx.emit(E.cycle(cycle));
  }

  /** mkdir of the job cgroup (the pod) and its containers; a task in each leaf. */
  private start(ctx: Ctx, u: number, cycle: number): Instance {
    const w = this.w;
    const name = w.units > 1 ? `${w.unit}-${u}@${cycle}.service` : `${w.unit}@${cycle}.service`;
    const memcg = mkdir(ctx, this.parentId(ctx), name);
    setLimits(ctx, memcg, w.jobLimits);
    const containers: number[] = [];
    for (let i = 0; i < w.containers; i++) containers.push(mkdir(ctx, memcg, `container${i}`));
    for (const t of containers.length ? containers : [memcg]) ctx.emit(E.jobStart(t, cycle));
    return { unit: u, cycle, memcg, containers, anon: [], tmpfs: [] };
  }

  /**
   * The cleanup (a timer running `rm` on old files in /dev/shm, outside the jobs): each file due
   * is unlinked, shmem_evict_inode() → shmem_undo_range(): resident pages uncharged, swap entries
   * freed (free_swap_and_cache: the ID ref each one held is put).
   */
  private removeLeftovers(ctx: Ctx, cycle: number): void {
    while (this.leftovers.length && this.leftovers[0][0] <= cycle) {
      const [, ...folios] = this.leftovers.shift()!;
      for (const f of folios) freeFolio(ctx, f);
    }
  }

  /**
   * Exit and rmdir: the mapping goes, then the anon memory (and its swap entries); containers
   * before the pod. Its tmpfs file stays: charged where it was written, until the cleanup.
   */
  private retire(ctx: Ctx, inst: Instance, cycle: number): void {
    const w = this.w;
    ctx.advance();
    if (w.mappedFraction > 0)
      for (let i = 0; i < w.sharedFilePages; i++) if (isMapped(i, w.mappedFraction)) unmapPage(ctx, pageCacheKey(SHARED_INODE, i));
    const kept = helperKeepsThps(ctx, inst.anon); // machine.concurrency.thpSplitQueue only
    for (const f of inst.anon) if (!kept.includes(f)) freeFolio(ctx, f);
    // removed later only when a cleanup runs; never-removed files need no bookkeeping
    if (inst.tmpfs?.length && w.tmpfsKeptCycles > 0) this.leftovers.push([cycle + w.tmpfsKeptCycles, ...inst.tmpfs]);
    if (kept.length) {
      const at = this.leftovers.findIndex((l) => l[0] > cycle + 1); // the helper exits next cycle: kept in order
      this.leftovers.splice(at < 0 ? this.leftovers.length : at, 0, [cycle + 1, ...kept]);
    }
    const tasks = inst.containers.length ? inst.containers : [inst.memcg];
    for (const t of tasks) ctx.emit(E.jobExit(t, inst.cycle));
    for (const c of [...inst.containers].reverse()) rmdir(ctx, c);
    rmdir(ctx, inst.memcg);
  }

  /**
   * The instance's work: read the shared file, fault its anon, then random reads (through the
   * mapping for mappedFraction of the pages) with the log written at evenly spaced points. An
   * instance whose task the OOM killer picked (memcg.oomVictim) stops where it is.
   */
  private runInstance(ctx: Ctx, rng: Rng, inst: Instance, cycle: number, u: number): void {
    const w = this.w;
    const anon = inst.anon;
    // the cgroup each operation runs in: the job's, or its containers' in turn
    let op = 0;
    let memcg = inst.memcg;
    const step = (fn: () => void): boolean => {
      if (inst.containers.length) memcg = inst.containers[op++ % inst.containers.length];
      ctx.advance();
      fn();
      return ctx.s.memcgs.get(memcg)!.oomVictim;
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
    const tmpfs = inst.tmpfs ?? [];
    for (let i = 0; i < w.tmpfsPages; i++) {
      if (
        step(() => {
          const f = writeShmem(ctx, memcg);
          if (f) tmpfs.push(f);
        })
      )
        return;
    }
    const logBase = ((cycle - 1) * w.units + u) * w.privateFilePages;
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
        jobMunmapsThp(ctx, anon, k);
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
  describe: (o) =>
    `${o.cycles} restart cycles${o.units > 1 ? ` of ${o.units} units` : ''}${o.every > 1 ? ` every ${o.every}` : ''}` +
    `${o.containers ? `, ${o.containers} containers per pod` : ''}${o.overlap ? `, overlap ${o.overlap}` : ''}` +
    `${o.tmpfsPages ? `, ${o.tmpfsPages} tmpfs pages left behind${o.tmpfsKeptCycles ? ` for ${o.tmpfsKeptCycles} cycles` : ''}` : ''}`,
  setupCgroups: (o) => ancestorsOf(o.parent),
  estimate: (o) => {
    // per cycle: mkdir, limits, start, the whole-file read, anon faults and frees, the accesses,
    // the log writes, exit, rmdir and its offline/free/reparent events, the cycle mark
    const perRun =
      (o.readWholeFile ? o.sharedFilePages : 0) + 2 * o.anonPages + 2 * o.tmpfsPages + o.accessesPerCycle + o.privateFilePages + 16;
    const runs = o.units * Math.ceil(o.cycles / o.every);
    // left-behind tmpfs files: all of them when never removed, else those of the last tmpfsKeptCycles cycles
    const tmpfsRuns = o.tmpfsKeptCycles ? Math.min(runs, o.units * (o.tmpfsKeptCycles + 1 + o.overlap)) : runs;
    return {
      events: runs * (perRun + 8 * o.containers),
      pages: o.sharedFilePages + o.anonPages * (1 + o.overlap) * o.units + runs * o.privateFilePages + tmpfsRuns * o.tmpfsPages,
      cgroups: runs * (1 + o.containers) + ancestorsOf(o.parent).length,
    };
  },
  limitsHint: (o) =>
    `only the workload parent (${o.parent}) and its ancestors exist from the start; limit job cgroups with workload.jobLimits`,
};
