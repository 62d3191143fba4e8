import { E } from '../kernel/events.js';
import { MEMCG_DYING } from '../kernel/state.js';
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
  for (let id = memcgId; id; ) {
    const m = ctx.s.memcgs.get(id);
    if (!m || m.state !== MEMCG_DYING || m.cssRefs !== 0 || m.children.length !== 0) return;
    const parent = m.parent;
    ctx.emit(E.memcgFree(m.id));
    id = parent; // a child's css pins its parent: the parent may be free to go now
  }
}
