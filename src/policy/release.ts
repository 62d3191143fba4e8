import { E } from '../kernel/events.js';
import { MEMCG_DYING } from '../kernel/state.js';
import { preOrder } from '../kernel/tree.js';
import type { Ctx } from './context.js';

/**
 * After a folio is uncharged or evicted: free what it was the last pin of. A dying memcg whose
 * css refcount reached 0 is freed (and may in turn let a dying parent go); a killed objcg with
 * nothing charged is released.
 */
export function releaseUnpinned(ctx: Ctx, memcgId: number, objcgId: number): void {
  const { s } = ctx;
  if (s.objcgCharging) {
    const o = s.objcgs.get(objcgId);
    if (o?.dead && o.nrAnon + o.nrFile === 0) ctx.emit(E.objcgRelease(o.id));
  }
  freeIfUnpinned(ctx, memcgId);
}

export function freeIfUnpinned(ctx: Ctx, memcgId: number): void {
  // css_release → css_free after an RCU grace period: not while a task is in a read section
  // (the reader frees what waited when it leaves: freeAfterGracePeriod)
  if (ctx.s.rcuReaders > 0) return;
  for (let id = memcgId; id; ) {
    const m = ctx.s.memcgs.get(id);
    if (!m || m.state !== MEMCG_DYING || m.cssRefs !== 0 || m.children.length !== 0) return;
    const parent = m.parent;
    ctx.emit(E.memcgFree(m.id));
    id = parent; // a child's css pins its parent: the parent may be free to go now
  }
}

/**
 * The RCU grace period ended (the last reader left): every dying memcg whose refs all went
 * meanwhile is freed, children before parents.
 */
export function freeAfterGracePeriod(ctx: Ctx): void {
  const waiting = preOrder(ctx.s)
    .filter((m) => m.state === MEMCG_DYING && m.cssRefs === 0 && m.children.length === 0)
    .map((m) => m.id);
  for (const id of waiting) freeIfUnpinned(ctx, id);
}

/**
 * rcu_read_unlock() by a task: when the last reader leaves, the grace period is over and every
 * dying memcg that waited for it is freed (freeAfterGracePeriod).
 */
export function rcuReadUnlock(ctx: Ctx, task: number): void {
  ctx.emit(E.rcuReadUnlock(task));
  if (ctx.s.rcuReaders === 0) freeAfterGracePeriod(ctx);
}
