import { LabError } from '../errors.js';

export const POLICY_NAMES = ['legacy', 'reparent'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** How a memcg's folios are charged and what happens to them when it goes offline. */
export interface Policy {
  name: PolicyName;
  /** LRU folios charged through an objcg (the fix) rather than pinning the memcg. */
  objcgCharging: boolean;
  /** On offline, move the memcg's LRU folios to the parent (lru_reparent_memcg). */
  reparentLru: boolean;
}

const POLICIES: Record<PolicyName, Policy> = {
  legacy: { name: 'legacy', objcgCharging: false, reparentLru: false },
  reparent: { name: 'reparent', objcgCharging: true, reparentLru: true },
};

export function getPolicy(name: string): Policy {
  const p = POLICIES[name as PolicyName];
  if (!p) throw new LabError(`unknown policy '${name}'; choose one of: ${POLICY_NAMES.join(', ')}`);
  return p;
}
