/**
 * Bug variants (policyOptions.bug, issue 13): code the series had at some revision, or a race
 * reported after the merge, put back on purpose so verify can show where it goes wrong. Each
 * names where it lives and who found it; the lab's invariants must catch it at the event.
 */

/** What a bug's code path needs of the experiment to run at all. */
export interface BugSetting {
  policy: string;
  lru: string;
  mglru: string;
  cgroupReader: boolean;
  lruBatch: boolean;
  agingWalk: boolean;
  memcgGetter?: boolean;
  thpSplitQueue?: boolean;
}

export const BUGS = {
  'stale-active-stats': {
    where: 'lru_gen_reparent_memcg(), the same-gen splice (reparent/same-gen on MGLRU)',
    what: 'v3 moved nr_pages but not the active/inactive LRU counters when lru_gen_is_active(child, gen) != lru_gen_is_active(parent, gen)',
    source: 'Harry Yoo, review of v3; fixed in v4 26/31 ("fix LRU size update in lru_gen_reparent_memcg")',
    needs: 'policy reparent, machine.lru mglru and policyOptions.mglru same-gen',
    runs: (x: BugSetting) => x.policy === 'reparent' && x.lru === 'mglru' && x.mglru === 'same-gen',
  },
  'walk-batch-race': {
    where: 'lru_gen_reparent_memcg() while an MGLRU page-table walk holds a batch for the child (machine.concurrency.agingWalk)',
    what: "reset_batch_size() writes the walk's batched nr_pages into the child's lruvec after the reparent moved its folios and zeroed its sizes: 7.1 as merged; the variant keeps it even where the posted fix (switch mglru_batch_forwarding) is on",
    source:
      'Peiyang He, "[BUG] mm: mglru: stale aging batch" (linux-mm, June 2026); fix posted as 20260622073703.79258-1-qi.zheng@linux.dev',
    needs: 'policy reparent, machine.lru mglru and machine.concurrency.agingWalk true',
    runs: (x: BugSetting) => x.policy === 'reparent' && x.lru === 'mglru' && x.agingWalk,
  },
  'no-rcu': {
    where: "page_cgroup_ino() (/proc/kpagecgroup), the lab's folio_memcg() reader (machine.concurrency.cgroupReader)",
    what: 'the reader takes folio_memcg() and later dereferences it without rcu_read_lock(): the memcg can be freed in between (a use after free)',
    source: 'the rule every folio_memcg() caller must follow (mm/memcontrol.c: RCU, or a css reference via get_mem_cgroup_from_folio)',
    needs: 'machine.concurrency.cgroupReader true',
    runs: (x: BugSetting) => x.cgroupReader,
  },
  'no-recheck': {
    where: "folio_lruvec_lock() in the activate batch's drain (machine.concurrency.lruBatch)",
    what: 'the lruvec lock is taken for the lruvec folio_lruvec() gave without rechecking lruvec_memcg(lruvec) == folio_memcg(folio): a folio reparented in between is handled under the wrong lock',
    source: "the series' lock protocol (folio_lruvec_lock and friends recheck and retry since the objcg conversion)",
    needs: 'machine.concurrency.lruBatch true (classic LRU)',
    runs: (x: BugSetting) => x.lruBatch,
  },
  'unbounded-retry': {
    where: "get_mem_cgroup_from_folio()'s retry loop (machine.concurrency.memcgGetter)",
    what: 'css_tryget is retried on the memcg read first instead of re-reading folio_memcg() (the load hoisted out of the loop): after a reparent it never sees the parent and spins while the dead memcg refcount stays zero',
    source:
      "the AI review of v3 08/30 (Roman Gushchin, 7ia4ldikrbsj.fsf@castle.c.googlers.com) asked whether the loop is bounded; Shakeel Butt's answer: the offline work's css ref makes every failure follow the objcg's re-point",
    needs: 'machine.concurrency.memcgGetter true',
    runs: (x: BugSetting) => x.memcgGetter === true,
  },
  'split-queue-no-recheck': {
    where:
      'split_queue_lock() (mm/huge_memory.c) under deferred_split_folio() and the free-path unqueue (machine.concurrency.thpSplitQueue)',
    what: "the split_queue_lock of the memcg read from the folio is taken without rechecking css_is_dying(): a folio queued after reparent_deferred_split_queue() lands on the dying child's queue, which nobody scans and which is freed with it",
    source:
      'Qi Zheng, "mm: thp: reparent the split queue during memcg offline" (v4 4/4; the recheck-and-retry Muchun Song asked for in review)',
    needs: 'policy reparent and machine.concurrency.thpSplitQueue true',
    runs: (x: BugSetting) => x.policy === 'reparent' && x.thpSplitQueue === true,
  },
} as const;

export type BugName = keyof typeof BUGS;
export const BUG_NAMES = Object.keys(BUGS) as BugName[];

/** Why `bug` cannot run in this setting (its code path never runs there), or null. */
export function bugMismatch(bug: BugName, setting: BugSetting): string | null {
  const b = BUGS[bug];
  return b.runs(setting) ? null : `bug '${bug}' is in ${b.where}: it needs ${b.needs}`;
}
