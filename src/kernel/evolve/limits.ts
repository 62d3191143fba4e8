import { MEMCG_CHARGE_BATCH, ROOT_MEMCG } from '../constants.js';
import { type Event, RECLAIM_EAGAIN } from '../events.js';
import { MEMCG_NR_MEMORY_EVENTS, type MemcgMemoryEvent, memcgMemoryEventApply } from '../memcg_events.js';
import { getMemcg, type KernelState, MEMCG_ONLINE, type Memcg } from '../state.js';
import { EvolveError } from './error.js';

// evolve() for memcg limits: memory.events, the charge stock, memory.high, the OOM killer, memory.reclaim.

/** memcg_memory_event() (mm/memcontrol.c): local count, hierarchical counts up to below the root. */
export function memcgMemoryEvent(s: KernelState, e: Event): void {
  const m = getMemcg(s, e.memcg);
  if (!Number.isInteger(e.a) || e.a < 0 || e.a >= MEMCG_NR_MEMORY_EVENTS) throw new EvolveError(e, `unknown memory event ${e.a}`);
  memcgMemoryEventApply(s.memcgs, m, e.a as MemcgMemoryEvent, ROOT_MEMCG);
  s.lab.memoryEvents[e.a]++;
}

/** __oom_kill_process() → mark_oom_victim(): the memcg's task is an OOM victim from now on. */
export function oomKill(s: KernelState, e: Event): void {
  const m = getMemcg(s, e.memcg);
  getMemcg(s, e.a); // the OOM domain exists
  if (m.nrTasks === 0) throw new EvolveError(e, `${m.path} has no task to kill`);
  if (m.oomVictim) throw new EvolveError(e, `the task of ${m.path} is already an OOM victim`);
  m.oomVictim = true;
}

/**
 * refill_stock() / drain_stock(): pages charged to (a > 0) or uncharged from (a < 0) the memcg's
 * page counter and every ancestor's, held by the charge stock and used by no folio.
 */
export function memcgStock(s: KernelState, e: Event): void {
  const m = getMemcg(s, e.memcg);
  const stock = m.stock + e.a;
  if (e.a === 0 || stock < 0 || stock > MEMCG_CHARGE_BATCH)
    throw new EvolveError(e, `stock of ${m.path} would go from ${m.stock} to ${stock}`);
  if (e.a > 0 && m.state !== MEMCG_ONLINE) throw new EvolveError(e, `refill of ${m.path}, which is not online`);
  m.stock = stock;
  s.stockPages += e.a;
  for (let x: Memcg | undefined = m; x; x = s.memcgs.get(x.parent)) x.memory += e.a;
}

/** current->memcg_nr_pages_over_high += batch (try_charge_memcg), or = 0 (mem_cgroup_handle_over_high). */
export function memcgOverHigh(s: KernelState, e: Event): void {
  const m = getMemcg(s, e.memcg);
  const v = m.nrPagesOverHigh + e.a;
  if (v < 0) throw new EvolveError(e, `memcg_nr_pages_over_high of ${m.path} would be ${v}`);
  m.nrPagesOverHigh = v;
}

/** The task slept off its memory.high penalty: the ticks it lost. */
export function memcgThrottle(s: KernelState, e: Event): void {
  getMemcg(s, e.memcg);
  if (e.a <= 0 || e.b < 0) throw new EvolveError(e, `bad throttle ${e.a} jiffies / ${e.b} ticks`);
  s.lab.throttleTicks += e.b;
}

/** A memory.reclaim write: a log marker around the reclaim passes it makes. */
export function memoryReclaim(s: KernelState, e: Event): void {
  getMemcg(s, e.memcg);
  if (e.a < 0) throw new EvolveError(e, `memory.reclaim of ${e.a} pages`);
}

export function memoryReclaimEnd(s: KernelState, e: Event): void {
  getMemcg(s, e.memcg);
  if (e.a < 0 || e.b < 0 || e.b > RECLAIM_EAGAIN) throw new EvolveError(e, `bad memory.reclaim result ${e.b}`);
}
