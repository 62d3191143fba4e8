import type { KernelView } from '../state.js';

export interface Violation {
  invariant: string;
  detail: string;
}

export type Report = (invariant: string, detail: string) => void;

/** Pages (anon / file) as folio_memcg() or an objcg sees them. */
export interface Pages {
  anon: number;
  file: number;
}

/** What several invariants need, counted once per check (a pass over the folios). */
export interface Census {
  /** live memcg id → its pages as folio_memcg() sees them */
  local: Map<number, Pages>;
  /** objcg id → pages charged through it (objcg charging only) */
  objcgPages: Map<number, Pages>;
  /** memcgs whose lruvecs a reparent holds locked (child and parent): counters may be mid-move */
  locked: Set<number>;
}

/** One kernel invariant: reads the state (and the census) and reports what does not hold. */
export type Invariant = (s: KernelView, c: Census, bad: Report) => void;
