import { NR_LRU_LISTS } from '../kernel/constants.js';
import { E } from '../kernel/events.js';
import type { Ctx } from './context.js';
import { freeIfUnpinned } from './release.js';

/**
 * rmdir of a memcg: cgroup_destroy_locked() then mem_cgroup_css_offline() → memcg_reparent_objcgs().
 * Legacy: the LRU folios stay where they are and keep pinning the memcg. Reparent: under both
 * lruvec locks, every list is spliced to the tail of the parent's same list and the objcgs are
 * re-pointed, so nothing pins the memcg any more and it is freed at once.
 */
export function rmdir(ctx: Ctx, memcg: number): void {
  const m = ctx.s.memcgs.get(memcg);
  if (!m) throw new Error(`rmdir of memcg ${memcg}, which is not live`);
  const parent = m.parent;
  const objcg = m.objcg;
  ctx.emit(E.memcgOffline(memcg));
  if (ctx.policy.reparentLru) {
    ctx.emit(E.reparentLocks(memcg, parent));
    for (let lru = 0; lru < NR_LRU_LISTS; lru++) {
      if (m.lruvec.size[lru] > 0) ctx.emit(E.splice(memcg, parent, lru));
    }
    ctx.emit(E.objcgReparent(memcg, parent));
    ctx.emit(E.reparentUnlocks(memcg, parent));
  } else {
    ctx.emit(E.objcgReparent(memcg, parent)); // kmem objcgs are reparented in every kernel since 5.9
  }
  // The objcg was killed by the reparent; with nothing charged to it, its last ref goes now.
  const o = ctx.s.objcgs.get(objcg);
  if (o && o.dead && o.nrAnon + o.nrFile === 0) ctx.emit(E.objcgRelease(objcg));
  freeIfUnpinned(ctx, memcg);
}
