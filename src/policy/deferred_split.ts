import { E, TASK_DEFERRED_SPLIT, TASKS } from '../kernel/events.js';
import { queuedOn } from '../kernel/evolve/split_queue.js';
import { folioMemcgId, MEMCG_ONLINE } from '../kernel/state.js';
import type { Ctx } from './context.js';
import { rcuReadUnlock } from './release.js';
import type { Task } from './tasks.js';

// The THP deferred split queue (mm/huge_memory.c) with the series' reparenting of it (Qi Zheng,
// "mm: thp: reparent the split queue during memcg offline"), machine.concurrency.thpSplitQueue.
// Modelled: one queue per memcg (memcg->deferred_split_queue) with split_queue_len; queueing from
// a task beside the workload (deferred_split_folio), the offline's reparent_deferred_split_queue,
// the unqueue when a queued folio is freed. Not modelled: folio sizes (a queued order-0 folio
// stands for a partially unmapped THP), the node queues of cgroup_disable=memory, the shrinker
// (deferred_split_scan: nothing is split; a folio leaves its queue when it is freed), IRQ state.

/**
 * split_queue_lock(nid, memcg) as the series has it: lock memcg's queue; if css_is_dying(memcg)
 * unlock, memcg = parent_mem_cgroup(memcg), retry. Returns the memcg whose queue is held.
 * `recheck` false is policyOptions.bug=split-queue-no-recheck: the queue of the memcg read from
 * the folio is used even when that memcg went offline (and its queue was reparented) meanwhile.
 */
export function splitQueueLock(ctx: Ctx, folio: number, memcg: number, recheck: boolean, task: number): number {
  if (!recheck) return memcg;
  for (let m = ctx.s.memcgs.get(memcg); m && m.state !== MEMCG_ONLINE && m.parent; m = ctx.s.memcgs.get(m.parent)) {
    ctx.emit(E.splitQueueLockRetry(folio, m.id, task));
    memcg = m.parent;
  }
  return memcg;
}

/**
 * deferred_split_folio(folio, partially_mapped) as a task: rcu_read_lock(); memcg =
 * folio_memcg(folio) (folio_split_queue_lock); then — a step later, as if spinning on the
 * split_queue_lock the offline holds — take it with split_queue_lock() (its recheck), queue the
 * folio unless it already is (list_empty(&folio->_deferred_list)), unlock, rcu_read_unlock().
 * The RCU section keeps the memcg read from being freed in between. A folio freed meanwhile ends
 * the task (the caller's folio reference is not modelled).
 */
export class DeferredSplitTask implements Task {
  private memcg = 0;

  constructor(
    private readonly folio: number,
    private readonly recheck: boolean,
  ) {}

  step(ctx: Ctx): boolean {
    const f = ctx.s.folios.get(this.folio);
    if (!this.memcg) {
      if (!f || queuedOn(ctx.s, f.id) !== undefined) return true;
      ctx.emit(E.rcuReadLock(TASK_DEFERRED_SPLIT));
      this.memcg = folioMemcgId(ctx.s, f)!;
      return false;
    }
    if (f && queuedOn(ctx.s, f.id) === undefined) {
      const held = splitQueueLock(ctx, f.id, this.memcg, this.recheck, TASK_DEFERRED_SPLIT);
      ctx.emit(E.deferredSplitQueue(f.id, held, TASK_DEFERRED_SPLIT));
    }
    rcuReadUnlock(ctx, TASK_DEFERRED_SPLIT);
    return true;
  }
}

/**
 * mem_cgroup_css_offline(): after memcg_offline_kmem() and before memcg_reparent_objcgs() ("the
 * reparenting of objcg must be after the reparenting of the list_lru and deferred_split_queue"),
 * reparent_deferred_split_queue(memcg): the child's queue onto the parent's tail under both locks.
 */
export function reparentDeferredSplitQueue(ctx: Ctx, memcg: number, parent: number): void {
  ctx.emit(E.splitQueueReparent(memcg, parent, ctx.s.splitQueues.get(memcg)?.len ?? 0));
}

/**
 * A queued folio being freed (free path: folio_unqueue_deferred_split → __folio_unqueue_deferred_split):
 * folio_split_queue_lock_irqsave() — the same recheck — then list_del_init and split_queue_len--.
 * Nothing happens for a folio on no queue (every run without thpSplitQueue).
 */
export function unqueueDeferredSplit(ctx: Ctx, folio: number): void {
  if (ctx.s.splitQueues.size === 0 || queuedOn(ctx.s, folio) === undefined) return;
  const f = ctx.s.folios.get(folio)!;
  const recheck = ctx.policy.bug !== 'split-queue-no-recheck';
  const held = splitQueueLock(ctx, folio, folioMemcgId(ctx.s, f)!, recheck, TASKS.workload);
  ctx.emit(E.deferredSplitUnqueue(folio, held));
}

/** machine.concurrency.thpSplitQueue's description in the experiment schema. */
export const THP_SPLIT_QUEUE_HELP =
  'THP deferred split queues per memcg (a queued anon folio stands for a partially unmapped THP): the job queues some of its anon folios with deferred_split_folio() as a task, a helper process keeps some past the rmdir, and the offline reparents the queue (reparent_deferred_split_queue). Needs policy reparent and workload restart-cycles';

/** Why machine.concurrency.thpSplitQueue cannot run with this policy and workload kind, or null. */
export function thpSplitQueueMismatch(policy: unknown, workloadKind: unknown): string | null {
  if (policy !== 'reparent') return 'the split queue reparent is the series\': needs policy "reparent" (or false)';
  if (workloadKind !== 'restart-cycles') return 'the THP munmaps are restart-cycles\': needs workload.kind "restart-cycles" (or false)';
  return null;
}
