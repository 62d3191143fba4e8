import type { Ctx } from '../context.js';

/**
 * One reparent mode: what memcg offline does with the dying memcg's LRU folios, under one policy
 * and one LRU kind. A new mode is one file exporting one of these, listed in registry.ts.
 */
export interface ReparentMode {
  /** the name experiments and the CLI use (an MGLRU mode's name is a policyOptions.mglru value) */
  readonly name: string;
  /** the policy it belongs to (`experiment.policy`) */
  readonly policy: string;
  /** the LRU kind it runs on: 'any' = both */
  readonly lru: 'classic' | 'mglru' | 'any';
  /** one line: what it does on offline */
  readonly description: string;
  /** the experiment's policyOptions keys that choose or tune it */
  readonly options: readonly string[];
  /** LRU folios charged through objcgs (the fix), so moving them unpins the memcg; false = folios pin it */
  readonly objcgCharging: boolean;
  /**
   * The offline procedure, run by rmdir after memcg_offline: emits the reparent events
   * (locks, splices, objcg_reparent, unlocks) that move `child`'s folios and objcgs to `parent`.
   */
  offline(ctx: Ctx, child: number, parent: number): void;
}
