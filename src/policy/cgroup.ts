import { MEMCG_NR_BINS } from '../kernel/constants.js';
import { E } from '../kernel/events.js';
import type { Ctx } from './context.js';
import { reparentDeferredSplitQueue } from './deferred_split.js';
import { offlineMode } from './policies.js';
import { freeIfUnpinned } from './release.js';

/** mkdir: a new memcg under `parent`; under MGLRU it joins a random bin of the memcg LRU's old gen. */
export function mkdir(ctx: Ctx, parent: number, name: string): number {
  const id = ctx.s.nextMemcg;
  ctx.emit(E.memcgCreate(id, parent, name, ctx.s.mglru ? ctx.rng.int(MEMCG_NR_BINS) : 0));
  return id;
}

/**
 * rmdir of a memcg: cgroup_destroy_locked() then mem_cgroup_css_offline() → memcg_reparent_objcgs(),
 * drain_all_stock(),
 * whose LRU part is the policy's reparent mode for this LRU (src/policy/reparent/). If nothing
 * pins the memcg any more it is freed at once.
 */
export function rmdir(ctx: Ctx, memcg: number): void {
  const m = ctx.s.memcgs.get(memcg);
  if (!m) throw new Error(`rmdir of memcg ${memcg}, which is not live`);
  const parent = m.parent;
  const objcgs = m.nodeinfo.map((pn) => pn.objcg);
  ctx.tasks?.drainWritesTo(ctx, memcg); // kernfs_remove(): a memory.reclaim write in progress ends first
  // mem_cgroup_css_offline() → drain_all_stock(memcg): the charge stock goes first here, so the
  // offline → free window of the log holds the reparent alone (the kernel drains after it).
  if (m.stock > 0) ctx.emit(E.memcgStock(memcg, -m.stock));
  // kill_css() pins the css until css_killed_work_fn() is done: tasks that run while the offline
  // worker is preempted (machine.concurrency.offlineWorker) can drop every other ref meanwhile
  const worker = ctx.tasks?.opts.offlineWorker === true;
  if (worker) ctx.emit(E.killCss(memcg));
  ctx.emit(E.memcgOffline(memcg, ctx.s.mglru ? ctx.rng.int(MEMCG_NR_BINS) : 0));
  if (ctx.tasks?.opts.thpSplitQueue) reparentDeferredSplitQueue(ctx, memcg, parent);
  offlineMode(ctx.policy, ctx.s.mglru).offline(ctx, memcg, parent);
  if (worker) ctx.emit(E.offlineCssDone(memcg));
  // The node objcgs were killed by the reparent; with nothing charged to one, its last ref goes now.
  for (const objcg of objcgs) {
    const o = ctx.s.objcgs.get(objcg);
    if (o?.dead && o.nrAnon + o.nrFile === 0) ctx.emit(E.objcgRelease(objcg));
  }
  freeIfUnpinned(ctx, memcg);
}
