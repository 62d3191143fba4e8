import type { KernelView, MemcgView } from '../kernel/state.js';

/** cgroup.stat's content. */
export interface CgroupStatValues {
  nr_descendants: number;
  nr_dying_descendants: number;
}

/** cgroup.stat (cgroup_stat_show): visible and dying descendants; printed as `key value` lines. */
export function readCgroupStat(_s: KernelView, m: MemcgView): CgroupStatValues {
  return { nr_descendants: m.nrDescendants, nr_dying_descendants: m.nrDyingDescendants };
}
