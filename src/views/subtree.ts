import type { KernelState, Memcg } from '../kernel/state.js';

/**
 * A memcg and its live descendants (online or dying). Freed descendants are not visited: their
 * event counts were folded into their parent when they were freed (rstat), so sums stay whole.
 */
export function subtree(s: Readonly<KernelState>, m: Readonly<Memcg>): Memcg[] {
  const out: Memcg[] = [];
  const stack = [m as Memcg];
  while (stack.length) {
    const x = stack.pop()!;
    out.push(x);
    for (const c of x.children) {
      const cm = s.memcgs.get(c);
      if (cm) stack.push(cm);
    }
  }
  return out;
}
