import type { KernelView } from '../state.js';
import type { Census, Report } from './types.js';

/**
 * get_mem_cgroup_from_folio()'s retries are bounded: css_tryget fails only once the memcg's last
 * ref is gone, which (the offline work holds a ref across memcg_reparent_objcgs) is after its
 * objcgs point at the parent, so each failure is followed by a read that climbs the tree. A call
 * that fails more often than its memcg's depth spins (Shakeel Butt, v3 08/30 review).
 */
export function checkBoundedRetries(s: KernelView, _c: Census, bad: Report): void {
  const r = s.spins[0];
  if (r)
    bad(
      'bounded-retries',
      `get_mem_cgroup_from_folio(folio ${r.folio}): css_tryget on memcg ${r.memcg} failed ${r.retries} times by seq ${r.seq}, ` +
        `past its bound ${r.bound} (one retry per ancestor that dies); folio_memcg() gives memcg ${r.now}`,
    );
}
