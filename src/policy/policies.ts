import { LabError } from '../errors.js';

export const POLICY_NAMES = ['legacy', 'reparent'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** How reparenting moves MGLRU generations (policyOptions.mglru). */
export const MGLRU_REPARENT_MODES = ['same-gen', 'tail', 'age-order'] as const;
export type MglruReparentMode = (typeof MGLRU_REPARENT_MODES)[number];

/**
 * Names `compare --policies` accepts: a policy, or an MGLRU reparent mode standing for
 * `reparent` with that mode.
 */
export const POLICY_ALIASES = [...POLICY_NAMES, ...MGLRU_REPARENT_MODES] as const;

/** How a memcg's folios are charged and what happens to them when it goes offline. */
export interface Policy {
  name: PolicyName;
  /** LRU folios charged through an objcg (the fix) rather than pinning the memcg. */
  objcgCharging: boolean;
  /** On offline, move the memcg's LRU folios to the parent (lru_reparent_memcg). */
  reparentLru: boolean;
  /** MGLRU only: how child generations land in the parent */
  mglru: MglruReparentMode;
}

export function getPolicy(name: string, mglru: MglruReparentMode = 'same-gen'): Policy {
  if (name === 'legacy') return { name, objcgCharging: false, reparentLru: false, mglru };
  if (name === 'reparent') return { name, objcgCharging: true, reparentLru: true, mglru };
  throw new LabError(`unknown policy '${name}'; choose one of: ${POLICY_NAMES.join(', ')}`);
}

/** Resolve a compare alias: 'tail' → reparent with policyOptions.mglru = 'tail'. */
export function resolvePolicyAlias(alias: string): { policy: PolicyName; mglru?: MglruReparentMode } {
  if ((POLICY_NAMES as readonly string[]).includes(alias)) return { policy: alias as PolicyName };
  if ((MGLRU_REPARENT_MODES as readonly string[]).includes(alias)) return { policy: 'reparent', mglru: alias as MglruReparentMode };
  throw new LabError(`unknown policy '${alias}'; choose from: ${POLICY_ALIASES.join(', ')}`);
}
