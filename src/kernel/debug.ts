/**
 * CONFIG_DEBUG_VM / CONFIG_DEBUG_LIST for the model: cheap checks at the point of change
 * (VM_WARN_ON_ONCE, VM_BUG_ON_FOLIO, __list_add_valid, __list_del_entry_valid), so a broken rule
 * throws where the state goes wrong instead of at the next invariant check. Off by default: each
 * site costs one boolean test. The runner turns them on with --check (Simulation with invariant
 * checks), and so do the tests.
 */
export const DEBUG_VM = { on: false };

export function setDebugVm(on: boolean): void {
  DEBUG_VM.on = on;
}

/** A kernel warning the model turns into an error: the mutation about to happen is illegal. */
export class VmWarning extends Error {}

/** Report a VM_WARN_ON that fired (call only under `if (DEBUG_VM.on && cond)`). */
export function vmWarn(what: string): never {
  throw new VmWarning(`VM_WARN_ON: ${what}`);
}
