import { MAX_RECLAIM_RETRIES, ROOT_MEMCG, SWAP_CLUSTER_MAX } from '../kernel/constants.js';
import type { KernelView, MemcgView } from '../kernel/state.js';
import { LabError } from '../errors.js';
import type { Ctx } from './context.js';
import type { ReclaimOpts } from './reclaim_opts.js';
import { tryToFreePagesFor } from './vmscan/do_try_to_free_pages.js';
import { shrinkShadows } from './vmscan/shrink_slab.js';

/**
 * Reclaim `nrToReclaim` pages for `target`: the root means global direct reclaim
 * (try_to_free_pages), any other memcg its limit reclaim (try_to_free_mem_cgroup_pages); see
 * vmscan/do_try_to_free_pages.ts. The shadow shrinker runs after it (shrink_slab).
 */
export function tryToFreePages(ctx: Ctx, target: number, nrToReclaim: number, opts: ReclaimOpts = {}): number {
  const reclaimed = tryToFreePagesFor(ctx, target, nrToReclaim, opts);
  shrinkShadows(ctx);
  return reclaimed;
}

export { shrinkShadows };

/** The memcg whose limit a one-page charge to `memcg` would break, or the root when the machine is full. */
export function memOverLimit(s: KernelView, memcg: number): number {
  for (let x: MemcgView | undefined = s.memcgs.get(memcg); x; x = s.memcgs.get(x.parent)) {
    if (x.max >= 0 && x.memory + 1 > x.max) return x.id;
  }
  const root = s.memcgs.get(ROOT_MEMCG)!;
  if (s.memoryPages > 0 && root.memory + 1 > s.memoryPages) return ROOT_MEMCG;
  return 0;
}

/**
 * try_charge_memcg(), the reclaim part: make room for one page, reclaiming SWAP_CLUSTER_MAX at a
 * time from the memcg over its limit (or globally). Without swap, memory full of anon cannot be
 * reclaimed: after MAX_RECLAIM_RETRIES empty rounds the run stops with an OOM error.
 */
export function makeRoomForCharge(ctx: Ctx, memcg: number): void {
  let failures = 0;
  for (let over = memOverLimit(ctx.s, memcg); over; over = memOverLimit(ctx.s, memcg)) {
    if (tryToFreePages(ctx, over, SWAP_CLUSTER_MAX) > 0) continue;
    if (++failures >= MAX_RECLAIM_RETRIES) {
      const m = ctx.s.memcgs.get(over)!;
      const fix = over === ROOT_MEMCG ? 'raise machine.memory' : `raise the memory.max of ${m.path} (limits / workload.jobLimits)`;
      throw new LabError(
        `out of memory at tick ${ctx.s.tick}: nothing reclaimable under ${m.path} (anon is not reclaimable without swap); ${fix} or lower workload.anonPages`,
      );
    }
  }
}

/**
 * mem_cgroup_handle_over_high() → reclaim_high(), after a charge: every memcg of the charging
 * one's ancestry that is above its memory.high is reclaimed from, best effort (never OOM). The
 * kernel also throttles the task; time is not modelled beyond ticks, so it is not.
 */
export function handleOverHigh(ctx: Ctx, memcg: number): void {
  for (let x = ctx.s.memcgs.get(memcg); x && x.id !== ROOT_MEMCG; x = ctx.s.memcgs.get(x.parent)) {
    if (x.high >= 0 && x.memory > x.high) tryToFreePages(ctx, x.id, SWAP_CLUSTER_MAX);
  }
}
