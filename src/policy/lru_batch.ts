import { E, TASK_LRU_BATCH } from '../kernel/events.js';
import { folioMemcgId } from '../kernel/state.js';
import type { Ctx } from './context.js';
import { rcuReadUnlock } from './release.js';
import type { Task } from './tasks.js';

/**
 * folio_activate() through the per-CPU folio batch (machine.concurrency.lruBatch, classic LRU):
 * folio_batch_move_lru() drains it later as a task of its own, taking each folio's lruvec lock with
 * folio_lruvec_lock() (7.1): rcu_read_lock(); lruvec = folio_lruvec(folio); (a step later)
 * spin_lock(&lruvec->lru_lock); if lruvec_memcg(lruvec) != folio_memcg(folio) — the folio was
 * reparented in between — unlock and retry; then lru_activate() and rcu_read_unlock().
 * policyOptions.bug=no-recheck leaves the recheck out: the folio is activated under the lock of the
 * lruvec it no longer belongs to.
 */
export class LruActivateTask implements Task {
  /** the memcg whose lruvec folio_lruvec() gave (0: not read yet) */
  private locked = 0;

  constructor(
    private readonly folio: number,
    private readonly recheck: boolean,
    private readonly done: () => void,
  ) {}

  step(ctx: Ctx): boolean {
    const f = ctx.s.folios.get(this.folio);
    if (!this.locked) {
      if (!f) return this.finish();
      ctx.emit(E.rcuReadLock(TASK_LRU_BATCH));
      this.locked = folioMemcgId(ctx.s, f)!;
      return false;
    }
    if (f && this.recheck) {
      for (let owner = folioMemcgId(ctx.s, f)!; owner !== this.locked; owner = folioMemcgId(ctx.s, f)!) {
        ctx.emit(E.lruvecLockRetry(f.id, this.locked, TASK_LRU_BATCH));
        this.locked = owner;
      }
    }
    // lru_activate(): a folio still on an LRU list and inactive (reclaim may have taken or activated it)
    if (f && f.list >= 0 && !f.active) ctx.emit(E.activate(f.id, this.locked));
    rcuReadUnlock(ctx, TASK_LRU_BATCH);
    return this.finish();
  }

  private finish(): true {
    this.done();
    return true;
  }
}
