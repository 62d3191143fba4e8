import { LabError } from '../errors.js';
import { type Switches, seriesSwitches } from '../kernel/series.js';
import type { BugName } from './bugs.js';
import {
  DEFAULT_MGLRU_REPARENT_MODE,
  MGLRU_REPARENT_MODES,
  type MglruReparentMode,
  POLICY_NAMES,
  type PolicyName,
  REPARENT_MODES,
  reparentModeFor,
} from './reparent/registry.js';
import type { ReparentMode } from './reparent/types.js';

export { DEFAULT_MGLRU_REPARENT_MODE, MGLRU_REPARENT_MODES, type MglruReparentMode, POLICY_NAMES, type PolicyName };

/**
 * Names `compare --policies` accepts: a policy, or an MGLRU reparent mode standing for
 * `reparent` with that mode.
 */
export const POLICY_ALIASES = [...POLICY_NAMES, ...MGLRU_REPARENT_MODES] as const;

/** How a memcg's folios are charged and what happens to them when it goes offline: resolved from the registry once per run. */
export interface Policy {
  name: PolicyName;
  /** LRU folios charged through an objcg (the fix) rather than pinning the memcg. */
  objcgCharging: boolean;
  /** MGLRU only: how child generations land in the parent (policyOptions.mglru) */
  mglru: MglruReparentMode;
  /** the kernel version's rules (machine.kernel, machine.switches; src/kernel/series.ts) */
  series: Switches;
  /** the offline procedure on each LRU kind */
  offline: { readonly classic: ReparentMode; readonly mglru: ReparentMode };
  /** a bug variant put back on purpose (policyOptions.bug; src/policy/bugs.ts), or null */
  bug: BugName | null;
}

export function getPolicy(
  name: string,
  mglru: MglruReparentMode = DEFAULT_MGLRU_REPARENT_MODE,
  series: Switches = seriesSwitches(),
  bug: BugName | null = null,
): Policy {
  if (!(POLICY_NAMES as readonly string[]).includes(name)) {
    throw new LabError(`unknown policy '${name}'; choose one of: ${POLICY_NAMES.join(', ')}`);
  }
  const policy = name as PolicyName;
  const offline = { classic: reparentModeFor(policy, 'classic', mglru), mglru: reparentModeFor(policy, 'mglru', mglru) };
  if (offline.classic.objcgCharging !== offline.mglru.objcgCharging)
    throw new Error(`policy ${policy}: its modes disagree on objcg charging`);
  return { name: policy, objcgCharging: offline.classic.objcgCharging, mglru, series, offline, bug };
}

/** The offline procedure a policy runs on this machine's LRU. */
export function offlineMode(policy: Policy, mglru: boolean): ReparentMode {
  return mglru ? policy.offline.mglru : policy.offline.classic;
}

/** Resolve a compare alias: 'tail' → reparent with policyOptions.mglru = 'tail'. */
export function resolvePolicyAlias(alias: string): { policy: PolicyName; mglru?: MglruReparentMode } {
  if ((POLICY_NAMES as readonly string[]).includes(alias)) return { policy: alias as PolicyName };
  const mode = REPARENT_MODES.find((m) => m.lru === 'mglru' && m.name === alias);
  if (mode) return { policy: mode.policy, mglru: mode.name as MglruReparentMode };
  throw new LabError(`unknown policy '${alias}'; choose from: ${POLICY_ALIASES.join(', ')}`);
}
