import { PAGE_SIZE, ROOT_MEMCG } from '../kernel/constants.js';
import { E, LIMIT_HIGH, LIMIT_MAX, MACHINE_MGLRU, MACHINE_OBJCG } from '../kernel/events.js';
import { pageCacheKey } from '../kernel/state.js';
import type { Ctx } from '../policy/context.js';
import { mkdir, rmdir } from '../policy/cgroup.js';
import { faultAnon, freeFolio, readPage, writePage } from '../policy/pagecache.js';
import { makeSampler, type AccessDist, type Sampler } from './distribution.js';
import type { Rng } from '../kernel/rng.js';

/** The file every instance reads (a binary, its config). */
export const SHARED_INODE = 1;
/** The log every instance appends to; its pages stay cached after the instance exits. */
export const LOG_INODE = 2;

export interface RestartCycles {
  cycles: number;
  parent: string;
  unit: string;
  sharedFilePages: number;
  privateFilePages: number;
  anonPages: number;
  accessesPerCycle: number;
  access: AccessDist;
  readWholeFile: boolean;
  /** memory.max / memory.high (bytes) for every job cgroup */
  jobLimits?: LimitBytes;
}

/** memory.max / memory.high in bytes; absent = no limit. */
export interface LimitBytes {
  max?: number;
  high?: number;
}

export interface MachineSetup {
  memoryPages: number;
  mglru: boolean;
  objcgCharging: boolean;
  /** limits of cgroups created at setup, by path */
  limits?: Record<string, LimitBytes>;
}

/**
 * A job restarted into a new cgroup each cycle (a systemd service or timer unit): the pattern
 * that leaves dying memcgs behind in the legacy kernel.
 */
export class RestartCyclesWorkload {
  private readonly sampler: Sampler;

  constructor(private readonly w: RestartCycles) {
    this.sampler = makeSampler(w.access, w.sharedFilePages);
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

  parentId(ctx: Ctx): number {
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
  runCycle(ctx: Ctx, rng: Rng, cycle: number): void {
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
