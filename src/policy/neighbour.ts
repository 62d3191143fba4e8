import { ROOT_MEMCG } from '../kernel/constants.js';
import { type KernelView, MEMCG_ONLINE, pageCacheKey } from '../kernel/state.js';
import { MAX_INODE } from '../workload/trace_records.js';
import { mkdir } from './cgroup.js';
import type { Ctx } from './context.js';
import { readPage } from './pagecache.js';
import type { Task } from './tasks.js';

/** The neighbour's cgroup, a child of the root, and its file's inode (above any the restart-cycles workload uses). */
export const NEIGHBOUR_CGROUP = 'neighbour.slice';
export const NEIGHBOUR_INODE = MAX_INODE;
/** At most this many neighbour reads start per workload operation (policy/tasks.ts, newOperation). */
export const NEIGHBOUR_READS_PER_OPERATION = 4;

/**
 * A second job on another CPU (machine.concurrency.neighbour): it reads a random page of its own
 * `pages`-page file per step, in /neighbour.slice, which it creates at its first step. A miss is
 * a full filemap_read(): the charge, the page allocator's watermarks, kswapd's wake-up and, when
 * memory is short, direct reclaim (try_to_free_pages from the root: every memcg's LRU, the dying
 * ones and their parents too), all inside that step, so the workload (and a preempted offline
 * worker) see another CPU allocate and reclaim between their own operations.
 */
export class NeighbourTask implements Task {
  constructor(private readonly pages: number) {}

  step(ctx: Ctx): boolean {
    const memcg = neighbourMemcg(ctx.s) || mkdir(ctx, ROOT_MEMCG, NEIGHBOUR_CGROUP);
    readPage(ctx, memcg, pageCacheKey(NEIGHBOUR_INODE, ctx.rng.int(this.pages)));
    return true;
  }
}

/** /neighbour.slice, or 0 before the neighbour's first step. */
function neighbourMemcg(s: KernelView): number {
  for (const id of s.memcgs.get(ROOT_MEMCG)!.children) {
    const m = s.memcgs.get(id)!;
    if (m.name === NEIGHBOUR_CGROUP && m.state === MEMCG_ONLINE) return id;
  }
  return 0;
}
