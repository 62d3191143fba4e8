import { MEMCG_NR_BINS, NR_LRU_LISTS } from '../kernel/constants.js';
import { E } from '../kernel/events.js';
import { EVENT_NID, lruvecOf } from '../kernel/node.js';
import type { Ctx } from './context.js';
import { freeIfUnpinned } from './release.js';
import { reparentLruGen } from './reparent_mglru.js';

/** mkdir: a new memcg under `parent`; under MGLRU it joins a random bin of the memcg LRU's old gen. */
export function mkdir(ctx: Ctx, parent: number, name: string): number {
  const id = ctx.s.nextMemcg;
  ctx.emit(E.memcgCreate(id, parent, name, ctx.s.mglru ? ctx.rng.int(MEMCG_NR_BINS) : 0));
  return id;
}

/**
 * rmdir of a memcg: cgroup_destroy_locked() then mem_cgroup_css_offline() → memcg_reparent_objcgs().
 * Legacy: the LRU folios stay where they are and keep pinning the memcg. Reparent: under both
 * lruvec locks, the lists move to the parent (classic: each list to the tail of the parent's same
 * list; MGLRU: by policyOptions.mglru) and the objcgs are re-pointed, so nothing pins the memcg
 * any more and it is freed at once.
 */
export function rmdir(ctx: Ctx, memcg: number): void {
  const m = ctx.s.memcgs.get(memcg);
  if (!m) throw new Error(`rmdir of memcg ${memcg}, which is not live`);
  const parent = m.parent;
  const objcg = m.objcg;
  ctx.emit(E.memcgOffline(memcg, ctx.s.mglru ? ctx.rng.int(MEMCG_NR_BINS) : 0));
  if (ctx.policy.reparentLru && ctx.s.mglru) {
    reparentLruGen(ctx, memcg, parent);
  } else if (ctx.policy.reparentLru) {
    ctx.emit(E.reparentLocks(memcg, parent));
    for (let lru = 0; lru < NR_LRU_LISTS; lru++) {
      if (lruvecOf(m, EVENT_NID).size[lru] > 0) ctx.emit(E.splice(memcg, parent, lru));
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
