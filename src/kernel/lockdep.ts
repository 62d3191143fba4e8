import { formatLockSequence, type HeldLock } from './lock_order.js';

// A lockdep-style validator over the lock-order record (kernel/locking/lockdep.c, in miniature):
// each acquisition is checked against the locks the task already holds. It reports what lockdep
// would print: a subclass beyond MAX_LOCKDEP_SUBCLASSES, more held locks than MAX_LOCK_DEPTH, and
// a new dependency A → B while B → … → A is already known (a possible circular locking
// dependency, the AB/BA inversion). Lock classes are lockdep's: one per lock type and subclass
// (every lruvec->lru_lock shares one class; spin_lock_nested's subclass splits it).

/** include/linux/lockdep_types.h: subclasses a class key can have (spin_lock_nested's range). */
export const MAX_LOCKDEP_SUBCLASSES = 8;
/** include/linux/sched.h (CONFIG_LOCKDEP): held_locks per task. */
export const MAX_LOCK_DEPTH = 48;

export type LockdepKind = 'invalid-subclass' | 'max-lock-depth' | 'circular-dependency';

export interface LockdepReport {
  kind: LockdepKind;
  /** the event whose acquisitions triggered it */
  seq: number;
  /** lockdep's first line */
  message: string;
  /** the locks held, in order, when it happened */
  held: string;
}

/** lockdep's class of a held lock: the lock type and its subclass. */
export function lockClass(l: HeldLock): string {
  return `${l.lock}/${l.subclass}`;
}

/**
 * One validator per run: feed it every lock sequence of the record in log order. Invalid
 * subclass and lock depth are reported once, at the first seq (lockdep turns itself off after its
 * first splat); each circular dependency once per pair of classes, so a run shows every kind.
 */
export class Lockdep {
  private readonly after = new Map<string, Set<string>>();
  private readonly seen = new Set<string>();
  readonly reports: LockdepReport[] = [];

  /** A task takes `locks` in this order (and drops them all afterwards). */
  acquireAll(seq: number, locks: readonly HeldLock[]): void {
    for (let i = 0; i < locks.length; i++) {
      const l = locks[i];
      const held = () => formatLockSequence(locks.slice(0, i + 1));
      if (l.subclass >= MAX_LOCKDEP_SUBCLASSES) {
        // look_up_lock_class(): "BUG: looking up invalid subclass: %u", then debug_locks_off()
        this.report('invalid-subclass', {
          kind: 'invalid-subclass',
          seq,
          message: `BUG: looking up invalid subclass: ${l.subclass} (MAX_LOCKDEP_SUBCLASSES is ${MAX_LOCKDEP_SUBCLASSES})`,
          held: held(),
        });
        continue;
      }
      if (i >= MAX_LOCK_DEPTH) {
        // __lock_acquire(): "BUG: MAX_LOCK_DEPTH too low!"
        this.report('max-lock-depth', {
          kind: 'max-lock-depth',
          seq,
          message: `BUG: MAX_LOCK_DEPTH too low! (${i + 1} locks held, the limit is ${MAX_LOCK_DEPTH})`,
          held: held(),
        });
      }
      const b = lockClass(l);
      for (let j = 0; j < i; j++) {
        if (locks[j].subclass >= MAX_LOCKDEP_SUBCLASSES) continue;
        const a = lockClass(locks[j]);
        if (a === b) continue; // same class nested without a subclass: lockdep's "possible recursive locking", not recorded here
        if (this.after.get(a)?.has(b)) continue;
        if (this.reaches(b, a)) {
          this.report(`${a}->${b}`, {
            kind: 'circular-dependency',
            seq,
            message: `WARNING: possible circular locking dependency detected: ${b} is taken while holding ${a}, and ${b} → ${a} is already known`,
            held: held(),
          });
          continue;
        }
        let set = this.after.get(a);
        if (!set) {
          set = new Set();
          this.after.set(a, set);
        }
        set.add(b);
      }
    }
  }

  /** Whether class `to` is reachable from `from` in the dependency graph (check_noncircular). */
  private reaches(from: string, to: string): boolean {
    const stack = [from];
    const visited = new Set<string>();
    while (stack.length) {
      const c = stack.pop()!;
      if (c === to) return true;
      if (visited.has(c)) continue;
      visited.add(c);
      for (const n of this.after.get(c) ?? []) stack.push(n);
    }
    return false;
  }

  private report(key: string, r: LockdepReport): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.reports.push(r);
  }

  /** The dependency edges found so far, as "A -> B" lines in a stable order. */
  dependencies(): string[] {
    const out: string[] = [];
    for (const [a, bs] of this.after) for (const b of bs) out.push(`${a} -> ${b}`);
    return out.sort();
  }
}
