import { E, TASK_CGROUP_READER } from '../kernel/events.js';
import { type FolioView, folioMemcgId, type KernelView } from '../kernel/state.js';
import type { Ctx } from './context.js';
import { rcuReadUnlock } from './release.js';
import type { Task } from './tasks.js';

/** How far back from the newest folio the reader looks for a live one (it reads the running job's pages). */
const LOOKBACK = 64;

/**
 * A reader of /proc/kpagecgroup beside the workload (machine.concurrency.cgroupReader), as
 * page_cgroup_ino() does it: rcu_read_lock(), memcg = folio_memcg(folio), then (a step later)
 * walk to the first online ancestor and read its cgroup's ino, rcu_read_unlock(). The RCU read
 * section is what keeps the memcg from being freed in between; policyOptions.bug=no-rcu leaves it
 * out, and the memcg can be freed under the reader.
 */
export class CgroupReaderTask implements Task {
  private folio = 0;
  private memcg = 0;

  constructor(private readonly rcu: boolean) {}

  step(ctx: Ctx): boolean {
    if (!this.folio) {
      const f = recentFolio(ctx.s, ctx.rng.int(LOOKBACK));
      if (!f) return true;
      if (this.rcu) ctx.emit(E.rcuReadLock(TASK_CGROUP_READER));
      this.folio = f.id;
      this.memcg = folioMemcgId(ctx.s, f)!;
      return false;
    }
    ctx.emit(E.memcgDeref(this.folio, this.memcg, TASK_CGROUP_READER));
    if (this.rcu) {
      rcuReadUnlock(ctx, TASK_CGROUP_READER);
    }
    return true;
  }
}

/** A live folio among the newest ones (the running job's pages): the first at or below nextFolio - 1 - back. */
function recentFolio(s: KernelView, back: number): FolioView | undefined {
  for (let id = s.nextFolio - 1 - back, n = 0; id > 0 && n < LOOKBACK; id--, n++) {
    const f = s.folios.get(id);
    if (f) return f;
  }
  return undefined;
}
