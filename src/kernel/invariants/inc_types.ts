import type { KernelView } from '../state.js';
import type { Tallies } from './tally.js';

/**
 * Where each invariant name stands in INVARIANTS (invariants.ts): the incremental checker sorts
 * what it finds by this rank, so its first violation is the one the full check reports first.
 */
export const RANK = {
  owners: 0,
  pageCache: 1,
  lists: 2,
  classic: 3,
  nrGens: 4,
  genWindow: 5,
  nrPages: 6,
  memcgLru: 7,
  charge: 8,
  stock: 9,
  local: 10,
  css: 11,
  tree: 12,
  objcgs: 13,
  swap: 14,
  dirty: 15,
  iters: 16,
  nodes: 17,
  freedReads: 18,
  wrongLocks: 19,
  splitQueue: 20,
  spins: 21,
} as const;

export type RankedReport = (rank: number, invariant: string, detail: string) => void;

/** What the incremental checks share: the state, the tallies, the report, which memcgs a reparent holds. */
export interface Scope {
  s: KernelView;
  t: Tallies;
  bad: RankedReport;
  /** how many violations were reported so far (for the checks that look closer when something is off) */
  reported(): number;
  /** a reparent holds this memcg's lruvec locks (child or parent): its counters may be mid-move */
  locked(memcg: number): boolean;
}
