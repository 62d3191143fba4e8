/**
 * The policy and MGLRU mode names, without the modes' code: what a command's help lists, so a CLI
 * start does not load the deciders. registry.ts checks these against its modes when it loads
 * (test/policy/registry.test.ts loads it): a mode added there and not here fails at once.
 */
export const POLICY_NAMES = ['legacy', 'reparent'] as const;
export const MGLRU_REPARENT_MODES = ['same-gen', 'tail', 'age-order'] as const;
