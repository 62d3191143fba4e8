import { type KernelView, MEMCG_ONLINE, type MemcgView } from '../../kernel/state.js';

/** memory.emin / memory.elow of a memcg for one reclaim walk (page_counter emin/elow). */
export interface Protection {
  emin: number;
  elow: number;
}

const NONE: Protection = { emin: 0, elow: 0 };

/** memory.min / memory.low as the page counter holds them: css_offline sets both to 0. */
function declared(m: MemcgView): Protection {
  return m.state === MEMCG_ONLINE ? { emin: m.min, elow: m.low } : NONE;
}

/**
 * effective_protection() (mm/page_counter.c), without memory_recursiveprot: a child's share of
 * what its parent is effectively protected, in proportion to its own protected usage when the
 * siblings together claim more than the parent has.
 */
export function effectiveProtection(usage: number, setting: number, parentEffective: number, siblingsProtected: number): number {
  const protectedPages = Math.min(usage, setting);
  if (siblingsProtected > parentEffective) return Math.floor((protectedPages * parentEffective) / siblingsProtected);
  return protectedPages;
}

/**
 * mem_cgroup_calculate_protection(root, memcg) → page_counter_calculate_protection(): the
 * reclaim root is unprotected; a memcg with no usage gets nothing; a child of the root gets its
 * declared values; deeper memcgs their effective share. The kernel computes it top-down in walk
 * order and keeps stale values; here each walk memoizes it (`memo`), ancestors first.
 */
export function calculateProtection(s: KernelView, root: number, m: MemcgView, memo: Map<number, Protection>): Protection {
  const hit = memo.get(m.id);
  if (hit) return hit;
  let p = NONE;
  const parent = s.memcgs.get(m.parent);
  if (m.id !== root && m.memory > 0 && parent) {
    const d = declared(m);
    if (parent.id === root) p = d;
    else {
      const pp = calculateProtection(s, root, parent, memo);
      let minUsage = 0;
      let lowUsage = 0;
      for (const c of parent.children) {
        const cm = s.memcgs.get(c);
        if (!cm) continue;
        const cd = declared(cm);
        minUsage += Math.min(cm.memory, cd.emin); // children_min_usage (propagate_protected_usage)
        lowUsage += Math.min(cm.memory, cd.elow);
      }
      p = {
        emin: effectiveProtection(m.memory, d.emin, pp.emin, minUsage),
        elow: effectiveProtection(m.memory, d.elow, pp.elow, lowUsage),
      };
    }
  }
  memo.set(m.id, p);
  return p;
}

/** mem_cgroup_below_min(): emin >= usage (false for the unprotected reclaim root). */
export function belowMin(root: number, m: MemcgView, p: Protection): boolean {
  return m.id !== root && p.emin >= m.memory && (p.emin > 0 || m.memory === 0);
}

/** mem_cgroup_below_low(): elow >= usage. */
export function belowLow(root: number, m: MemcgView, p: Protection): boolean {
  return m.id !== root && p.elow >= m.memory && (p.elow > 0 || m.memory === 0);
}
