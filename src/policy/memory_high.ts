import {
  HZ,
  MAX_RECLAIM_RETRIES,
  MEMCG_CHARGE_BATCH,
  MEMCG_DELAY_PRECISION_SHIFT,
  MEMCG_DELAY_SCALING_SHIFT,
  MEMCG_MAX_HIGH_DELAY_JIFFIES,
  ROOT_MEMCG,
  SWAP_CLUSTER_MAX,
} from '../kernel/constants.js';
import { E } from '../kernel/events.js';
import { MEMCG_HIGH } from '../kernel/memcg_events.js';
import type { KernelView } from '../kernel/state.js';
import type { Ctx } from './context.js';
import { memcgMemoryEvent } from './memcg_event.js';
import { tryToFreeMemCgroupPages } from './memcg_reclaim.js';
import { taskIsDying } from './oom.js';

// memory.high (mm/memcontrol.c): charges go past it; the task pays on its way back to user space.

/**
 * mem_cgroup_handle_over_high() → __mem_cgroup_handle_over_high(), on return to user space
 * (resume_user_mode_work) of the task in `memcg` [6.18]:
 * ```
 * nr_pages = current->memcg_nr_pages_over_high; current->memcg_nr_pages_over_high = 0;
 * retry_reclaim: if (task_is_dying()) goto out;
 *   nr_reclaimed = reclaim_high(memcg, in_retry ? SWAP_CLUSTER_MAX : nr_pages, gfp_mask);
 *   penalty_jiffies = calculate_high_delay(memcg, nr_pages, mem_find_max_overage(memcg));
 *   penalty_jiffies = min(penalty_jiffies, MEMCG_MAX_HIGH_DELAY_JIFFIES);
 *   if (penalty_jiffies <= HZ / 100) goto out;
 *   if (nr_reclaimed || nr_retries--) { in_retry = true; goto retry_reclaim; }
 *   schedule_timeout_killable(penalty_jiffies);
 * ```
 * (swap.high is not modelled.) The sleep advances simulated time (Ctx.sleep, by machine.msPerTick)
 * and is logged as memcg_throttle at the wake-up tick.
 */
export function memCgroupHandleOverHigh(ctx: Ctx, memcg: number): void {
  const m = ctx.s.memcgs.get(memcg);
  if (!m || m.nrPagesOverHigh === 0) return;
  const nrPages = m.nrPagesOverHigh;
  ctx.emit(E.memcgOverHigh(memcg, -nrPages));
  let nrRetries = MAX_RECLAIM_RETRIES;
  let inRetry = false;
  for (;;) {
    if (taskIsDying(ctx.s, memcg)) return;
    const nrReclaimed = reclaimHigh(ctx, memcg, inRetry ? SWAP_CLUSTER_MAX : nrPages);
    const penalty = Math.min(calculateHighDelay(nrPages, memFindMaxOverage(ctx.s, memcg)), MEMCG_MAX_HIGH_DELAY_JIFFIES);
    if (penalty <= HZ / 100) return;
    if (nrReclaimed || nrRetries-- > 0) {
      inRetry = true;
      continue;
    }
    const ticks = ctx.sleep(penalty);
    ctx.emit(E.memcgThrottle(memcg, penalty, ticks));
    return;
  }
}

/**
 * reclaim_high(): for the memcg and each ancestor below the root that is above memory.high, a
 * `high` event and try_to_free_mem_cgroup_pages(that memcg, nr_pages, MAY_SWAP).
 */
export function reclaimHigh(ctx: Ctx, memcg: number, nrPages: number): number {
  let nrReclaimed = 0;
  for (let id = memcg; id && id !== ROOT_MEMCG; ) {
    const x = ctx.s.memcgs.get(id)!;
    const parent = x.parent;
    if (x.high >= 0 && x.memory > x.high) {
      memcgMemoryEvent(ctx, id, MEMCG_HIGH);
      nrReclaimed += tryToFreeMemCgroupPages(ctx, id, nrPages, { maySwap: true });
    }
    id = parent;
  }
  return nrReclaimed;
}

/**
 * calculate_overage(usage, high): `((usage - high) << MEMCG_DELAY_PRECISION_SHIFT) / max(high, 1)`,
 * 0 when usage ≤ high (u64).
 */
export function calculateOverage(usage: number, high: number): bigint {
  if (usage <= high) return 0n;
  const h = BigInt(Math.max(high, 1));
  return (BigInt(usage - high) << BigInt(MEMCG_DELAY_PRECISION_SHIFT)) / h;
}

/** mem_find_max_overage(): the largest overage of the memcg and its ancestors below the root. */
export function memFindMaxOverage(s: KernelView, memcg: number): bigint {
  let max = 0n;
  for (let x = s.memcgs.get(memcg); x && x.id !== ROOT_MEMCG; x = s.memcgs.get(x.parent)) {
    if (x.high < 0) continue; // memory.high = max: never over
    const o = calculateOverage(x.memory, x.high);
    if (o > max) max = o;
  }
  return max;
}

/**
 * calculate_high_delay(memcg, nr_pages, max_overage), in jiffies (u64 arithmetic, as the kernel):
 * ```
 * penalty_jiffies = max_overage * max_overage * HZ;
 * penalty_jiffies >>= MEMCG_DELAY_PRECISION_SHIFT; penalty_jiffies >>= MEMCG_DELAY_SCALING_SHIFT;
 * return penalty_jiffies * nr_pages / MEMCG_CHARGE_BATCH;
 * ```
 * About HZ · ((usage − high) / high)² · 64 · nr_pages / 64: 6 ms at 1% over, 2 s (the cap) from ~18%.
 */
export function calculateHighDelay(nrPages: number, maxOverage: bigint): number {
  if (maxOverage === 0n) return 0;
  const u64 = (v: bigint) => BigInt.asUintN(64, v);
  let p = u64(maxOverage * maxOverage * BigInt(HZ));
  p >>= BigInt(MEMCG_DELAY_PRECISION_SHIFT);
  p >>= BigInt(MEMCG_DELAY_SCALING_SHIFT);
  p = u64(p * BigInt(nrPages)) / BigInt(MEMCG_CHARGE_BATCH);
  return Number(p);
}
