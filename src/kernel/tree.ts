import { ROOT_MEMCG } from './constants.js';
import type { KernelState, KernelView, Memcg, MemcgView } from './state.js';

/** Ids of the live memcgs under (and including) `root`, pre-order (css_next_descendant_pre). */
export function subtreeIds(s: KernelView, root: number = ROOT_MEMCG): number[] {
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const id = stack.pop()!;
    const m = s.memcgs.get(id);
    if (!m) continue;
    out.push(id);
    for (let i = m.children.length - 1; i >= 0; i--) stack.push(m.children[i]);
  }
  return out;
}

/**
 * A memcg and its live descendants (online or dying), pre-order. Freed descendants are gone:
 * their event counts were folded into their parent when they were freed (rstat), so sums stay whole.
 */
export function subtree(s: KernelState, root: number): Memcg[];
export function subtree(s: KernelView, root: number): MemcgView[];
export function subtree(s: KernelView, root: number): MemcgView[] {
  return subtreeIds(s, root).map((id) => s.memcgs.get(id)!);
}

/** Live memcgs in pre-order from the root, children in creation order (mem_cgroup_iter). */
export function preOrder(s: KernelState): Memcg[];
export function preOrder(s: KernelView): MemcgView[];
export function preOrder(s: KernelView): MemcgView[] {
  return subtree(s, ROOT_MEMCG);
}
