import { folioMemcgId, type KernelView } from '../state.js';
import type { Census, Report } from './types.js';

/**
 * split queue membership vs sizes (mm/huge_memory.c, machine.concurrency.thpSplitQueue): each
 * memcg's split_queue_len counts the folios on its list; a folio is on one queue at most, is live
 * and anon, and its queue is its folio_memcg()'s or an ancestor's (the series reparents the queue
 * before the objcgs: "they will not mistakenly get the parent ... deferred_split_queue"); a
 * queue reparent_deferred_split_queue() emptied stays empty (split_queue_lock rechecks
 * css_is_dying and moves up); a freed memcg leaves no folio on its queue (that list head is freed
 * memory the folios still link to: the kernel's use after free).
 */
export function checkSplitQueues(s: KernelView, _c: Census, bad: Report): void {
  if (s.splitQueues.size === 0) return;
  const seen = new Set<number>();
  for (const [id, q] of s.splitQueues) {
    const m = s.memcgs.get(id);
    if (!m && q.folios.length)
      bad(
        'split-queue',
        `memcg ${id} was freed with folio ${q.folios[0]} on its deferred split queue (${q.folios.length} linked to the freed list head)`,
      );
    if (q.reparented && q.folios.length)
      bad(
        'split-queue',
        `memcg ${id}'s deferred split queue was reparented, yet folio ${q.folios[0]} is on it (queued under its lock after reparent_deferred_split_queue)`,
      );
    if (q.len !== q.folios.length)
      bad('split-queue', `memcg ${id}: split_queue_len is ${q.len} but ${q.folios.length} folios are on its queue`);
    for (const fid of q.folios) {
      if (seen.has(fid)) bad('split-queue', `folio ${fid} is on two deferred split queues`);
      seen.add(fid);
      const f = s.folios.get(fid);
      if (!f) {
        bad('split-queue', `folio ${fid} on memcg ${id}'s deferred split queue was freed`);
        continue;
      }
      if (f.file || f.shmem) bad('split-queue', `folio ${fid} on memcg ${id}'s deferred split queue is not anon`);
      const owner = folioMemcgId(s, f);
      if (owner !== undefined && m && !isAncestorOrSelf(s, id, owner))
        bad(
          'split-queue',
          `folio ${fid} is charged to memcg ${owner} but on memcg ${id}'s deferred split queue (not that memcg's or an ancestor's)`,
        );
    }
  }
}

/** `up` is `id` or one of its ancestors (walking memcg->parent from `id`). */
function isAncestorOrSelf(s: KernelView, up: number, id: number): boolean {
  for (let m = s.memcgs.get(id); m; m = m.parent ? s.memcgs.get(m.parent) : undefined) if (m.id === up) return true;
  return false;
}
