import { LabError } from '../errors.js';
import { DEFAULT_KERNEL } from '../kernel/series.js';
import { DEFAULT_MGLRU_REPARENT_MODE, MGLRU_REPARENT_MODES, POLICY_NAMES } from '../policy/policies.js';
import { REPARENT_MODES } from '../policy/reparent/registry.js';
import type { Experiment } from './experiment.js';

/**
 * The effective policy of a run, one label everywhere (runs, show, compare, sweep, report):
 * `legacy`, `reparent` (classic LRU: splice to the parent's tail) or `reparent/<mode>` on MGLRU
 * (`reparent/same-gen`, `reparent/tail`, `reparent/age-order`). The MGLRU reparent mode
 * (policyOptions.mglru) means something only for reparent on MGLRU; anywhere else it is ignored,
 * and runs no longer record it (older databases still hold `same-gen` there for every run).
 */
export interface PolicyOf {
  policy: string;
  lru: string;
  /** policyOptions.mglru as recorded (may be missing, or meaningless for this policy and LRU) */
  mglru?: unknown;
  /** machine.kernel as recorded (missing in runs older than the field: 7.1, what they ran) */
  kernel?: unknown;
  /** policyOptions.bug: a bug variant put back on purpose */
  bug?: unknown;
}

/** The MGLRU reparent mode a run actually ran, or null when the policy has none (legacy, classic LRU). */
export function effectiveMode(p: PolicyOf): string | null {
  if (p.policy !== 'reparent' || p.lru !== 'mglru') return null;
  return typeof p.mglru === 'string' ? p.mglru : DEFAULT_MGLRU_REPARENT_MODE;
}

/**
 * The label; a bug variant follows a `+` (`reparent/same-gen+stale-active-stats`), and a reparent
 * run on another kernel than the default one says so after an `@` (`reparent/same-gen@v1`):
 * legacy reparents no folios, so its kernel changes nothing.
 */
export function policyLabel(p: PolicyOf): string {
  const mode = effectiveMode(p);
  let label = mode ? `${p.policy}/${mode}` : p.policy;
  if (typeof p.bug === 'string') label += `+${p.bug}`;
  const kernel = typeof p.kernel === 'string' ? p.kernel : DEFAULT_KERNEL;
  return p.policy === 'legacy' || kernel === DEFAULT_KERNEL ? label : `${label}@${kernel}`;
}

/** The PolicyOf of a (stored or resolved) experiment. */
export function policyOfExperiment(exp: unknown): PolicyOf {
  const e = (exp && typeof exp === 'object' ? exp : {}) as {
    policy?: unknown;
    machine?: { lru?: unknown; kernel?: unknown };
    policyOptions?: { mglru?: unknown; bug?: unknown };
  };
  return {
    policy: String(e.policy ?? ''),
    lru: String(e.machine?.lru ?? 'classic'),
    mglru: e.policyOptions?.mglru,
    kernel: e.machine?.kernel,
    bug: e.policyOptions?.bug,
  };
}

export function experimentLabel(exp: Experiment): string {
  return policyLabel(policyOfExperiment(exp));
}

/**
 * The experiment as a run records it (runs.experiment, sealed by the chain): the resolved
 * experiment without the MGLRU reparent mode where it means nothing (legacy; classic LRU), so a
 * legacy run does not claim `same-gen`. The model never reads the mode there: the log and state
 * hashes are the same either way. Also used to compare a stored experiment with a recomputed one
 * (sweep --resume), which makes an older database's records compare equal.
 */
export function recordedExperiment(exp: unknown): string {
  if (!exp || typeof exp !== 'object') return JSON.stringify(exp);
  const p = policyOfExperiment(exp);
  const o = exp as { policyOptions?: Record<string, unknown> };
  if (effectiveMode(p) !== null || !o.policyOptions || !('mglru' in o.policyOptions)) return JSON.stringify(exp);
  const { mglru: _m, ...rest } = o.policyOptions;
  return JSON.stringify({ ...exp, policyOptions: rest });
}

/** Every MGLRU reparent mode with its label (`tail` → `reparent/tail`). */
const MGLRU_LABELS = REPARENT_MODES.filter((m) => m.lru === 'mglru').map((m) => ({ name: m.name, label: `${m.policy}/${m.name}` }));

/**
 * Whether a run's label matches what a user typed (`runs --policy`, `compare --baseline`): the
 * label itself (with or without its `+bug` and `@kernel`), `reparent` for every reparent run (any LRU, any mode), or an MGLRU mode alone
 * (`tail` = `reparent/tail`).
 */
export function labelMatches(full: string, query: string): boolean {
  if (full === query) return true;
  const label = full.split('@')[0].split('+')[0]; // a kernel or bug suffix matches its label
  if (label === query) return true;
  const mode = MGLRU_LABELS.find((m) => m.name === query);
  if (mode) return label === mode.label;
  return (POLICY_NAMES as readonly string[]).includes(query) && label.startsWith(`${query}/`);
}

/** Everything `--policy` takes: a policy, an MGLRU mode, or a label `policy/mode`. */
export const POLICY_QUERIES: readonly string[] = [...POLICY_NAMES, ...MGLRU_LABELS.map((m) => m.label), ...MGLRU_REPARENT_MODES];

/** A `--policy` filter value, checked. */
export function checkPolicyQuery(option: string, query: string): string {
  if (!POLICY_QUERIES.includes(query)) throw new LabError(`${option} ${query}: not a policy; choose one of: ${POLICY_QUERIES.join(', ')}`);
  return query;
}
