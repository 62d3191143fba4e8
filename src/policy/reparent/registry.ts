import { ageOrder } from './age_order.js';
import { classic } from './classic.js';
import { legacy } from './legacy.js';
import * as NAMES from './names.js';
import { sameGen } from './same_gen.js';
import { tail } from './tail.js';
import type { ReparentMode } from './types.js';

/**
 * Every reparent mode, one file each. The policy names, the MGLRU mode names, the CLI's choices,
 * the experiment schema and the error listing valid names all come from this list; order is the
 * order they are listed in. Adding a mode: its file, and one entry here.
 */
export const REPARENT_MODES = [legacy, classic, sameGen, tail, ageOrder] as const;

type Mode = (typeof REPARENT_MODES)[number];
/** `experiment.policy` */
export type PolicyName = Mode['policy'];
/** `experiment.policyOptions.mglru`: how the reparent policy moves MGLRU generations */
export type MglruReparentMode = Extract<Mode, { lru: 'mglru' }>['name'];

/** policyOptions.mglru when an experiment does not say: the series' own mode. */
export const DEFAULT_MGLRU_REPARENT_MODE: MglruReparentMode = sameGen.name;

/** Distinct values in first-seen order. */
function unique<T>(xs: readonly T[]): T[] {
  return xs.filter((x, i) => xs.indexOf(x) === i);
}

/** Non-empty tuple type for zod's enum (the list is never empty: legacy is always there). */
type NonEmpty<T> = readonly [T, ...T[]];

export const POLICY_NAMES = unique(REPARENT_MODES.map((m) => m.policy)) as unknown as NonEmpty<PolicyName>;
export const MGLRU_REPARENT_MODES = REPARENT_MODES.filter((m) => m.lru === 'mglru').map(
  (m) => m.name,
) as unknown as NonEmpty<MglruReparentMode>;

// names.ts lists the same names for help texts (loaded without the modes): they must agree
if (POLICY_NAMES.join() !== NAMES.POLICY_NAMES.join() || MGLRU_REPARENT_MODES.join() !== NAMES.MGLRU_REPARENT_MODES.join()) {
  throw new Error(
    `src/policy/reparent/names.ts lists ${[...NAMES.POLICY_NAMES, ...NAMES.MGLRU_REPARENT_MODES]}, the registry ${[...POLICY_NAMES, ...MGLRU_REPARENT_MODES]}: update names.ts`,
  );
}

/** The mode a policy runs on one LRU kind (MGLRU: the one policyOptions.mglru names, if the policy has several). */
export function reparentModeFor(policy: PolicyName, lru: 'classic' | 'mglru', mglru: MglruReparentMode): ReparentMode {
  const modes: readonly ReparentMode[] = REPARENT_MODES.filter((m) => m.policy === policy && (m.lru === lru || m.lru === 'any'));
  const mode = modes.length > 1 ? modes.find((m) => m.name === mglru) : modes[0];
  if (!mode) throw new Error(`policy ${policy} has no ${lru} reparent mode${modes.length ? ` named ${mglru}` : ''}`);
  return mode;
}

/** `name — description` per mode, for help texts. */
export function describeModes(): string[] {
  return REPARENT_MODES.map((m) => `${m.name} (${m.policy}, ${m.lru === 'any' ? 'any LRU' : m.lru}): ${m.description}`);
}
