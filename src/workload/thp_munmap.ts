import type { Ctx } from '../policy/context.js';

// The THP side of restart-cycles (machine.concurrency.thpSplitQueue). The lab's folios are
// order-0: every THP_STRIDE-th anon folio of a job stands for a THP. The job partially munmaps
// one of them now and then as it runs (deferred_split_folio, as a task); at its stop a helper
// process that was moved to the parent cgroup (cgroup v2 moves no charges) keeps the THPs mapped
// past the rmdir, partially munmaps them while the job's cgroup goes offline, and exits a cycle
// later. Nothing here runs (and no event or draw differs) when the option is off.

/** Every THP_STRIDE-th anon folio of a job (index 0, 8, 16, …) stands for a THP. */
export const THP_STRIDE = 8;
/** The job partially munmaps one of its THPs every THP_MUNMAP_EVERY shared-file accesses. */
export const THP_MUNMAP_EVERY = 64;

function thps(anon: readonly number[]): number[] {
  return anon.filter((_, i) => i % THP_STRIDE === 0);
}

/**
 * During the job's k-th access: a partial munmap of one of the first half of its THPs,
 * round-robin (a deferred_split_folio task); the helper munmaps the other half at the stop.
 */
export function jobMunmapsThp(ctx: Ctx, anon: readonly number[], k: number): void {
  if (!ctx.tasks?.opts.thpSplitQueue || k % THP_MUNMAP_EVERY !== THP_MUNMAP_EVERY - 1) return;
  const all = thps(anon);
  const mine = all.slice(0, Math.ceil(all.length / 2));
  if (mine.length) ctx.tasks.deferredSplit(mine[Math.floor(k / THP_MUNMAP_EVERY) % mine.length]);
}

/**
 * At the job's stop, before the exit frees its anon: the THPs the helper keeps (returned: the
 * caller frees the rest at exit and these a cycle later). The helper partially munmaps each, and
 * a preemption point lets those tasks read folio_memcg() before the rmdir that follows.
 */
export function helperKeepsThps(ctx: Ctx, anon: readonly number[]): number[] {
  if (!ctx.tasks?.opts.thpSplitQueue) return [];
  const kept = thps(anon);
  for (const f of kept) ctx.tasks.deferredSplit(f);
  ctx.advance();
  return kept;
}
