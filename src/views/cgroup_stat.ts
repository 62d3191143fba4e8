import type { KernelView, MemcgView } from '../kernel/state.js';

/** cgroup.stat (cgroup_stat_show): visible and dying descendants, one `key value` per line. */
export function renderCgroupStat(_s: KernelView, m: MemcgView): string {
  return `nr_descendants ${m.nrDescendants}\nnr_dying_descendants ${m.nrDyingDescendants}\n`;
}
