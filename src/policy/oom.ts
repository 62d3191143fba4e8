import { E } from '../kernel/events.js';
import { MEMCG_OOM, MEMCG_OOM_KILL } from '../kernel/memcg_events.js';
import { Stat } from '../kernel/stat.js';
import { folioMemcgId, type KernelView } from '../kernel/state.js';
import { subtreeIds } from '../kernel/tree.js';
import type { Ctx } from './context.js';
import { unqueueDeferredSplit } from './deferred_split.js';
import { memcgMemoryEvent } from './memcg_event.js';
import { releaseUnpinned } from './release.js';

// The OOM killer (mm/oom_kill.c) and its memcg entry (mem_cgroup_oom, mm/memcontrol.c). A task is
// the job instance running in a memcg (memcg.nrTasks); killing it marks the memcg's oomVictim,
// which the workload reads to end the instance.

/** task_is_dying() of the task charging from `memcg` (tsk_is_oom_victim, or a fatal signal). */
export function taskIsDying(s: KernelView, memcg: number): boolean {
  return s.memcgs.get(memcg)?.oomVictim ?? false;
}

/**
 * mem_cgroup_oom(memcg, gfp, order 0): the `oom` event on the memcg over its limit, then
 * mem_cgroup_out_of_memory(): true without a kill when the charge fits again
 * (`mem_cgroup_margin(memcg) >= (1 << order)`) or the charging task is already dying
 * (`ret = task_is_dying() || out_of_memory(&oc)`), else the OOM killer in memcg's subtree.
 * Every charge here is one page, order 0 ≤ PAGE_ALLOC_COSTLY_ORDER, so the memcg OOM killer runs.
 */
export function memCgroupOom(ctx: Ctx, over: number, current: number): boolean {
  memcgMemoryEvent(ctx, over, MEMCG_OOM);
  if (memCgroupMargin(ctx.s, over) >= 1) return true;
  return taskIsDying(ctx.s, current) || outOfMemory(ctx, over);
}

/** mem_cgroup_margin(): pages the memcg can still charge before its memory.max. */
export function memCgroupMargin(s: KernelView, memcg: number): number {
  const m = s.memcgs.get(memcg)!;
  return m.max < 0 ? Number.MAX_SAFE_INTEGER : Math.max(m.max - m.memory, 0);
}

/**
 * out_of_memory() with `oc->memcg = domain` (the root for a global OOM): select_bad_process() then
 * oom_kill_process(). False when there is nothing to kill ("Out of memory and no killable
 * processes..."; a memcg OOM does not panic, and the global case is not modelled further).
 */
export function outOfMemory(ctx: Ctx, domain: number): boolean {
  const victim = selectBadProcess(ctx.s, domain);
  if (victim === 0) return false;
  oomKillProcess(ctx, victim, domain);
  return true;
}

/**
 * select_bad_process() → oom_evaluate_task() over the tasks of `domain`'s subtree
 * (mem_cgroup_scan_tasks, pre-order): the highest oom_badness() (rss + swap + page tables; here the
 * task's anon pages, its memcg's local anon) wins, a later task winning ties (`points < chosen_points`
 * skips). A task already killed is skipped: the oom_reaper has run (MMF_OOM_SKIP). 0: none.
 */
export function selectBadProcess(s: KernelView, domain: number): number {
  let chosen = 0;
  let chosenPoints = -1;
  for (const id of subtreeIds(s, domain)) {
    const m = s.memcgs.get(id)!;
    if (m.nrTasks === 0 || m.oomVictim) continue;
    const points = m.stat[Stat.anon];
    if (points < chosenPoints) continue;
    chosen = id;
    chosenPoints = points;
  }
  return chosen;
}

/**
 * __oom_kill_process(): `memcg_memory_event_mm(mm, MEMCG_OOM_KILL)` (raised before the signal, on
 * the victim's memcg, for global OOMs too), SIGKILL + mark_oom_victim(); then the oom_reaper
 * (oom_reap_task_mm) unmaps and frees the victim's anonymous memory. Modelled at once.
 */
export function oomKillProcess(ctx: Ctx, victim: number, domain: number): void {
  memcgMemoryEvent(ctx, victim, MEMCG_OOM_KILL);
  ctx.emit(E.oomKill(victim, domain));
  oomReap(ctx, victim);
}

/** oom_reap_task_mm(): the victim's anon folios are unmapped and freed. */
function oomReap(ctx: Ctx, victim: number): void {
  const anon: { id: number; owner: number }[] = [];
  for (const f of ctx.s.folios.values()) if (!f.file && folioMemcgId(ctx.s, f) === victim) anon.push({ id: f.id, owner: f.owner });
  for (const f of anon) {
    unqueueDeferredSplit(ctx, f.id);
    ctx.emit(E.uncharge(f.id));
    releaseUnpinned(ctx, victim, f.owner);
  }
}
