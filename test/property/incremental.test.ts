import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, type Event } from '../../src/kernel/events.js';
import { evolve } from '../../src/kernel/evolve.js';
import { IncrementalChecker } from '../../src/kernel/invariants/incremental.js';
import { checkInvariants, type Violation } from '../../src/kernel/invariants.js';
import { createState } from '../../src/kernel/state.js';
import type { BugName } from '../../src/policy/bugs.js';
import type { MglruReparentMode } from '../../src/policy/policies.js';
import type { ConcurrencyOptions } from '../../src/policy/tasks.js';
import { op, raceOp, runOps } from './ops.js';

// The incremental checker against the full one (checkInvariants) on random operation sequences:
// after every event, it reports nothing exactly when the full check reports nothing, and it names
// the invariant the full check names first. Bug variants put back on purpose (and the tasks they
// need) make the full check fail somewhere, so "both find it at the same event" is tested too.

interface Disagreement {
  seq: number;
  type: string;
  inc: Violation[];
  full: Violation[];
}

/** Replay a log with both checkers after every event; the first event after which either finds something. */
function firstFinding(log: readonly Event[]): Disagreement | null {
  const s = createState();
  const inc = new IncrementalChecker(s);
  for (const e of log) {
    inc.before(e);
    evolve(s, e);
    const a = inc.after(e);
    const b = checkInvariants(s);
    if (a.length || b.length) return { seq: e.seq, type: EVENT_NAMES[e.type], inc: a, full: b };
  }
  return null;
}

const ALL_OFF: ConcurrencyOptions = { agingWalk: false, cgroupReader: false, lruBatch: false, stepProbability: 0.5 };

interface Case {
  name: string;
  policy: string;
  lru: 'classic' | MglruReparentMode;
  nodes?: number;
  bug?: BugName;
  concurrency?: Partial<ConcurrencyOptions>;
  /** at least one sequence must break an invariant (a bug case that never fires would test nothing) */
  breaks?: boolean;
}

const CASES: Case[] = [
  { name: 'legacy, classic LRU', policy: 'legacy', lru: 'classic' },
  { name: 'reparent, classic LRU, two nodes', policy: 'reparent', lru: 'classic', nodes: 2 },
  { name: 'legacy, MGLRU', policy: 'legacy', lru: 'same-gen' },
  { name: 'reparent, MGLRU same-gen, two nodes', policy: 'reparent', lru: 'same-gen', nodes: 2 },
  { name: 'reparent, MGLRU age-order (gens rewritten under the lock)', policy: 'reparent', lru: 'age-order' },
  { name: 'reparent, MGLRU tail, the aging walk as a task', policy: 'reparent', lru: 'tail', concurrency: { agingWalk: true } },
  {
    name: 'reparent, MGLRU same-gen, two nodes, kswapd and the offline worker as tasks',
    policy: 'reparent',
    lru: 'same-gen',
    nodes: 2,
    concurrency: { kswapd: true, offlineWorker: true },
  },
  {
    name: 'reparent, classic LRU, a neighbour job reclaiming beside the workload, direct reclaim preemptible',
    policy: 'reparent',
    lru: 'classic',
    concurrency: { neighbour: 96, directReclaim: true, memoryReclaim: true },
  },
  {
    name: 'reparent, classic LRU, get_mem_cgroup_from_folio() as a task',
    policy: 'reparent',
    lru: 'classic',
    concurrency: { memcgGetter: true },
  },
  {
    name: 'bug unbounded-retry (get_mem_cgroup_from_folio() as a task)',
    policy: 'reparent',
    lru: 'classic',
    bug: 'unbounded-retry',
    concurrency: { memcgGetter: true, stepProbability: 0.3 },
    breaks: true,
  },
  {
    name: 'reparent, classic LRU, THP deferred split queues (deferred_split_folio as a task)',
    policy: 'reparent',
    lru: 'classic',
    concurrency: { thpSplitQueue: true, stepProbability: 0.3 },
  },
  {
    name: 'bug stale-active-stats (MGLRU same-gen)',
    policy: 'reparent',
    lru: 'same-gen',
    bug: 'stale-active-stats',
    breaks: true,
  },
  {
    name: 'bug no-recheck (the activate batch as a task)',
    policy: 'reparent',
    lru: 'classic',
    bug: 'no-recheck',
    concurrency: { lruBatch: true, stepProbability: 0.05 },
    breaks: true,
  },
  {
    name: 'bug split-queue-no-recheck (deferred_split_folio as a task)',
    policy: 'reparent',
    lru: 'classic',
    bug: 'split-queue-no-recheck',
    concurrency: { thpSplitQueue: true, stepProbability: 0.3 },
    breaks: true,
  },
  {
    name: 'bug no-rcu (the cgroup reader as a task)',
    policy: 'reparent',
    lru: 'classic',
    bug: 'no-rcu',
    concurrency: { cgroupReader: true, stepProbability: 0.05 },
    breaks: true,
  },
];

describe('property: the incremental checker agrees with the full check after every event', () => {
  for (const c of CASES) {
    it(c.name, () => {
      let broke = 0;
      fc.assert(
        fc.property(
          fc.array(c.breaks ? fc.oneof({ arbitrary: op, weight: 5 }, { arbitrary: raceOp, weight: 1 }) : op, {
            minLength: c.breaks ? 60 : 20,
            maxLength: c.breaks ? 150 : 90,
          }),
          fc.integer({ min: 32, max: 160 }),
          fc.constantFrom(0, 8, 64),
          (ops, mem, swap) => {
            const concurrency = c.concurrency ? { ...ALL_OFF, ...c.concurrency } : undefined;
            const ctx = runOps(c.policy, mem * (c.nodes ?? 1), ops, c.lru, swap, c.nodes ?? 1, false, {
              check: false,
              bug: c.bug,
              concurrency,
            });
            const found = firstFinding(ctx.log);
            if (!found) return;
            broke++;
            const where = `seq ${found.seq} (${found.type})`;
            expect(found.inc.length, `${where}: the full check found ${JSON.stringify(found.full[0])}`).toBeGreaterThan(0);
            expect(found.full.length, `${where}: only the incremental check found ${JSON.stringify(found.inc[0])}`).toBeGreaterThan(0);
            expect(found.inc[0].invariant, where).toBe(found.full[0].invariant);
            const names = new Set(found.full.map((v) => v.invariant));
            for (const v of found.inc) expect(names, `${where}: ${v.invariant}: ${v.detail}`).toContain(v.invariant);
          },
        ),
        { numRuns: c.breaks ? 30 : 12, seed: 20261126 },
      );
      if (c.breaks) expect(broke, 'no sequence broke an invariant').toBeGreaterThan(0);
      else expect(broke).toBe(0);
    });
  }
});
