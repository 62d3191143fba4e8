import { E, MEMCG_GET_GIVEUPS, TASK_MEMCG_GETTER } from '../kernel/events.js';
import { type FolioView, folioMemcgId, type KernelView } from '../kernel/state.js';
import type { Ctx } from './context.js';
import { freeIfUnpinned, rcuReadUnlock } from './release.js';
import type { Task } from './tasks.js';

/** The getter asks about one of this many newest page-cache folios (the running job's log pages, once written). */
const NEWEST = 4;
/** How many folio ids below the newest it looks through for them. */
const LOOKBACK = 1024;

/**
 * With the bug, the lab stops a spinning call after this many failed css_trygets (or its bound + 1
 * if that is more): the kernel would spin on under rcu_read_lock, and since the spinner holds up
 * the grace period the memcg is never freed either (an RCU stall).
 */
export const SPIN_LIMIT = 16;

export const MEMCG_GETTER_HELP =
  'a task calls get_mem_cgroup_from_folio() on a recent page-cache folio now and then (rcu_read_lock; memcg = folio_memcg(); css_tryget, retrying on failure; css_put a step later), one read or css_tryget per step';

/**
 * get_mem_cgroup_from_folio() beside the workload (machine.concurrency.memcgGetter), as 7.1 has
 * it (mm/memcontrol.c, since the series' "prevent memory cgroup release in
 * get_mem_cgroup_from_folio()"):
 *
 *   rcu_read_lock();
 *   do { memcg = folio_memcg(folio); } while (!css_tryget(&memcg->css));
 *   rcu_read_unlock();
 *
 * One step per read and per css_tryget, so an rmdir can run between the read and the tryget: the
 * memcg's last ref goes (css_tryget fails; RCU keeps it from being freed) and its objcg now
 * points at the parent, which the next read returns. The caller holds the ref one step, then
 * css_put(). policyOptions.bug=unbounded-retry keeps trying the memcg it read first (the load
 * hoisted out of the loop, as the AI review of v3 asked about): it never sees the re-pointed
 * objcg and spins.
 */
export class MemcgGetterTask implements Task {
  private folio = 0;
  private memcg = 0;
  private retries = 0;
  private held = false;

  constructor(private readonly reread: boolean) {}

  step(ctx: Ctx): boolean {
    const { s } = ctx;
    if (!this.folio) {
      const f = recentPageCacheFolio(s, ctx.rng.int(NEWEST));
      if (!f) return true;
      ctx.emit(E.rcuReadLock(TASK_MEMCG_GETTER));
      this.folio = f.id;
      this.memcg = folioMemcgId(s, f)!;
      ctx.emit(E.memcgGetRead(f.id, this.memcg, TASK_MEMCG_GETTER, 0));
      return false;
    }
    if (this.held) {
      ctx.emit(E.cssPut(this.memcg, TASK_MEMCG_GETTER));
      freeIfUnpinned(ctx, this.memcg); // it may have been the last ref of a dying memcg
      return true;
    }
    if (s.memcgs.get(this.memcg)!.cssRefs > 0) {
      ctx.emit(E.cssTryget(this.memcg, this.folio, TASK_MEMCG_GETTER, true));
      this.held = true;
      this.unlock(ctx);
      return false;
    }
    ctx.emit(E.cssTryget(this.memcg, this.folio, TASK_MEMCG_GETTER, false));
    this.retries++;
    if (!this.reread) {
      const bound = s.memcgGet?.bound ?? 0;
      return this.retries >= Math.max(SPIN_LIMIT, bound + 1) ? this.giveUp(ctx, MEMCG_GET_GIVEUPS['spin cut by the lab']) : false;
    }
    const f = s.folios.get(this.folio);
    // the kernel's caller holds the folio; the lab's workload may have freed it: the call ends
    if (!f) return this.giveUp(ctx, MEMCG_GET_GIVEUPS['folio freed meanwhile']);
    this.memcg = folioMemcgId(s, f)!;
    ctx.emit(E.memcgGetRead(f.id, this.memcg, TASK_MEMCG_GETTER, this.retries));
    return false;
  }

  private giveUp(ctx: Ctx, why: number): boolean {
    ctx.emit(E.memcgGetGiveup(this.memcg, this.folio, TASK_MEMCG_GETTER, why));
    this.unlock(ctx);
    return true;
  }

  private unlock(ctx: Ctx): void {
    rcuReadUnlock(ctx, TASK_MEMCG_GETTER);
  }
}

/** The newest page-cache folio but `skip` (or the oldest of those within LOOKBACK ids, if fewer). */
function recentPageCacheFolio(s: KernelView, skip: number): FolioView | undefined {
  let found: FolioView | undefined;
  for (let id = s.nextFolio - 1, n = 0; id > 0 && n < LOOKBACK; id--, n++) {
    const f = s.folios.get(id);
    if (!f || f.key < 0) continue;
    found = f;
    if (skip-- === 0) break;
  }
  return found;
}
