import { EVENT_NAMES, type Event } from '../kernel/events.js';
import { IncrementalChecker } from '../kernel/invariants/incremental.js';
import { checkInvariants, type Violation } from '../kernel/invariants.js';
import type { KernelState } from '../kernel/state.js';
import type { Store } from '../store/db.js';
import { FoldError, type FoldOptions, foldRun } from './fold.js';
import type { RunRow } from './runs.js';
import type { VerifyViolation } from './verify_types.js';

/** Which checks a verifying fold makes. */
export interface CheckPlan {
  /** the full check (checkInvariants, O(state)) after the events this picks */
  full: (e: Event) => boolean;
  /** the incremental checker after every event (O(what the event touched)) */
  incremental: boolean;
}

/** What else the verifying fold does with each event. */
export interface FoldHooks {
  /** every row the fold reads, before evolve applies it (even one it refuses): the chain's segment hashes */
  read?: (e: Event) => void;
  /** after every event that broke nothing */
  each?: (e: Event, s: KernelState) => void;
}

export interface Checked {
  s: KernelState;
  /** what broke at the first event that broke anything (empty: nothing) */
  broken: VerifyViolation[];
  /** the break was found by a check after that very event: no earlier unchecked event can have caused it */
  exact: boolean;
  /** where the incremental checker and the full check disagreed (the full check is the definition) */
  notes: string[];
}

/**
 * Fold with the invariants checked as the plan says; stops at the first event that breaks one,
 * or that evolve refuses. What the incremental checker finds is confirmed by a full check at the
 * same event, whose violations are reported (the same text as a full check alone would give);
 * if the full check finds nothing, the disagreement is noted and the checker is rebuilt from the
 * state.
 */
export function foldChecked(
  store: Store,
  run: RunRow,
  range: Pick<FoldOptions, 'from' | 'to'>,
  plan: CheckPlan,
  hooks: FoldHooks = {},
): Checked {
  const { read, each } = hooks;
  let broken: VerifyViolation[] = [];
  let exact = false;
  const notes: string[] = [];
  let inc: IncrementalChecker | null = null;
  try {
    const s = foldRun(store, run, {
      ...range,
      before:
        plan.incremental || read
          ? (e, s) => {
              read?.(e);
              if (!plan.incremental) return;
              inc ??= new IncrementalChecker(s);
              inc.before(e);
            }
          : undefined,
      observe: (e, s) => {
        const found = inc ? inc.after(e) : null;
        const flagged = found !== null && found.length > 0;
        if (flagged || plan.full(e)) {
          const full = checkInvariants(s);
          if (full.length) {
            broken = full.map((v) => violation(e, v));
            exact = flagged;
            return false;
          }
          if (flagged) {
            notes.push(
              `seq ${e.seq} (${typeName(e)}): the incremental check found ${found[0].invariant} (${found[0].detail}) but the full check holds; the incremental checker was rebuilt there`,
            );
            inc = new IncrementalChecker(s);
          }
        }
        each?.(e, s);
      },
    });
    return { s, broken, exact, notes };
  } catch (err) {
    if (!(err instanceof FoldError)) throw err;
    const e = err.event;
    return {
      s: err.state,
      broken: [{ seq: e.seq, type: typeName(e), invariant: 'evolve', detail: `${err.message} (${where(e)})` }],
      exact: true,
      notes,
    };
  }
}

/**
 * A full check failed at `hi` after checks that held up to `lo` (nothing found in between):
 * narrow it down to the first event after which the full check fails, refolding from the
 * snapshot at or before `from` with full checks at finer and finer steps (each round 1/100 of the
 * last, the last round every event), so a window of a million events costs a few hundred full
 * checks rather than a million.
 */
export function narrowDown(store: Store, run: RunRow, from: number, lo: number, first: Checked, step: number): Checked {
  let found = first;
  let hi = first.broken[0].seq;
  while (step > 1 && hi - lo > 1) {
    step = step <= 100 ? 1 : Math.ceil(step / 100);
    const [a, b, d] = [lo, hi, step];
    const round = foldChecked(
      store,
      run,
      { from: { key: 'seq', value: Math.min(from, a) }, to: { key: 'seq', value: b } },
      { full: (e) => e.seq > a && ((e.seq - a) % d === 0 || e.seq === b), incremental: false },
    );
    if (!round.broken.length) break;
    found = round;
    hi = round.broken[0].seq;
    lo = a + Math.floor((hi - 1 - a) / d) * d;
  }
  return found;
}

function violation(e: Event, v: Violation): VerifyViolation {
  return { seq: e.seq, type: typeName(e), invariant: v.invariant, detail: `${v.detail} (${where(e)})` };
}

const typeName = (e: Event) => EVENT_NAMES[e.type] ?? `type ${e.type}`;
const where = (e: Event) => `memcg ${e.memcg}, folio ${e.folio}, a ${e.a}, b ${e.b}`;
