import { takeCensus } from './invariants/census.js';
import { checkCgroupTree, checkChargeStock, checkCssRefs, checkHierarchicalCharge, checkLocalSize } from './invariants/charge.js';
import { checkFolioOwners, checkPageCache } from './invariants/folios.js';
import { checkClassicLists, checkListLinks } from './invariants/lists.js';
import { checkGenWindow, checkNrGens, checkNrPages } from './invariants/lru_gen.js';
import { checkMemcgLru } from './invariants/memcg_lru.js';
import { checkNodes } from './invariants/nodes.js';
import { checkObjcgs } from './invariants/objcg.js';
import { checkNoFreedReads, checkNoWrongLocks } from './invariants/rcu.js';
import { checkBoundedRetries } from './invariants/retry.js';
import { checkSplitQueues } from './invariants/split_queue.js';
import { checkDirtyWriteback, checkReclaimIters, checkSwap } from './invariants/swap.js';
import type { Invariant, Violation } from './invariants/types.js';
import type { KernelView } from './state.js';

export type { Violation } from './invariants/types.js';

/** The kernel invariants (reference §6, DESIGN §3), one function each, in report order. */
export const INVARIANTS: readonly Invariant[] = [
  checkFolioOwners,
  checkPageCache,
  checkListLinks,
  checkClassicLists,
  checkNrGens,
  checkGenWindow,
  checkNrPages,
  checkMemcgLru,
  checkHierarchicalCharge,
  checkChargeStock,
  checkLocalSize,
  checkCssRefs,
  checkCgroupTree,
  checkObjcgs,
  checkSwap,
  checkDirtyWriteback,
  checkReclaimIters,
  checkNodes,
  checkNoFreedReads,
  checkNoWrongLocks,
  checkSplitQueues,
  checkBoundedRetries,
];

/**
 * Every invariant over the whole state, in O(folios + memcgs) each. Returns every violation
 * found; an empty array means the state is one the kernel could be in.
 */
export function checkInvariants(s: KernelView): Violation[] {
  const out: Violation[] = [];
  const census = takeCensus(s);
  for (const check of INVARIANTS) check(s, census, (invariant, detail) => out.push({ invariant, detail }));
  return out;
}
