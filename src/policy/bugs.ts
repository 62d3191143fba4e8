/**
 * Bug variants (policyOptions.bug, issue 13): code the series had at some revision, or a race
 * reported after the merge, put back on purpose so verify can show where it goes wrong. Each
 * names where it lives and who found it; the lab's invariants must catch it at the event.
 */
export const BUGS = {
  'stale-active-stats': {
    where: 'lru_gen_reparent_memcg(), the same-gen splice (reparent/same-gen on MGLRU)',
    what: 'v3 moved nr_pages but not the active/inactive LRU counters when lru_gen_is_active(child, gen) != lru_gen_is_active(parent, gen)',
    source: 'Harry Yoo, review of v3; fixed in v4 26/31 ("fix LRU size update in lru_gen_reparent_memcg")',
    /** the policy, LRU and MGLRU mode whose code path holds it */
    needs: { policy: 'reparent', lru: 'mglru', mglru: 'same-gen' },
  },
} as const;

export type BugName = keyof typeof BUGS;
export const BUG_NAMES = Object.keys(BUGS) as BugName[];

/** Why `bug` cannot run under this policy/LRU/mode (its code path never runs there), or null. */
export function bugMismatch(bug: BugName, policy: string, lru: string, mglru: string): string | null {
  const n = BUGS[bug].needs;
  if (policy === n.policy && lru === n.lru && mglru === n.mglru) return null;
  return `bug '${bug}' is in ${BUGS[bug].where}: it needs policy ${n.policy}, machine.lru ${n.lru} and policyOptions.mglru ${n.mglru}`;
}
