import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROOT_MEMCG } from '../../src/kernel/constants.js';
import { EVENT_NAMES } from '../../src/kernel/events.js';
import { nidOf } from '../../src/kernel/node.js';
import { deserializeState, serializeState, stateHash } from '../../src/kernel/serialize.js';
import { MEMCG_ONLINE } from '../../src/kernel/state.js';
import type { MglruReparentMode } from '../../src/policy/policies.js';
import { applyAll } from '../helpers.js';
import { op, runOps } from './ops.js';

describe('property: random operations through the deciders keep every kernel invariant', () => {
  const cases: [string, 'classic' | MglruReparentMode][] = [
    ['legacy', 'classic'],
    ['reparent', 'classic'],
    ['legacy', 'same-gen'],
    ['reparent', 'same-gen'],
    ['reparent', 'tail'],
    ['reparent', 'age-order'],
  ];
  for (const [policy, lru] of cases) {
    it(`${policy}, ${lru === 'classic' ? 'classic LRU' : `MGLRU ${lru}`}: invariants after every event; replay and snapshot round-trip give the same state`, () => {
      fc.assert(
        fc.property(
          fc.array(op, { minLength: 1, maxLength: 150 }),
          fc.integer({ min: 24, max: 200 }),
          fc.constantFrom(0, 0, 8, 64),
          (ops, mem, swap) => {
            const ctx = runOps(policy, mem, ops, lru, swap); // TestCtx throws on the first broken invariant
            const replayed = applyAll(
              ctx.log.map((e) => ({ ...e })),
              undefined,
            );
            expect(stateHash(replayed)).toBe(stateHash(ctx.s));
            expect(stateHash(deserializeState(serializeState(ctx.s)))).toBe(stateHash(ctx.s));
          },
        ),
        { numRuns: 100, seed: 20261125 },
      );
    });
  }

  // issue 12: two nodes (local and interleaved placement): per-node lruvecs, memcg LRUs, objcgs,
  // watermarks and kswapd, node-by-node reparent; invariants (a folio on its node's lruvec, node
  // counts) after every event, replay and the format-8 snapshot round-trip
  const numaCases: [string, 'classic' | MglruReparentMode, boolean][] = [
    ['legacy', 'classic', false],
    ['reparent', 'classic', true],
    ['legacy', 'same-gen', true],
    ['reparent', 'same-gen', false],
    ['reparent', 'same-gen', true],
    ['reparent', 'tail', true],
  ];
  for (const [policy, lru, interleave] of numaCases) {
    it(`two nodes, ${interleave ? 'interleave' : 'local'}: ${policy}, ${lru === 'classic' ? 'classic LRU' : `MGLRU ${lru}`}: invariants after every event; replay and snapshot round-trip`, () => {
      fc.assert(
        fc.property(
          fc.array(op, { minLength: 1, maxLength: 150 }),
          fc.integer({ min: 48, max: 240 }),
          fc.constantFrom(0, 8, 64),
          (ops, mem, swap) => {
            const ctx = runOps(policy, mem, ops, lru, swap, 2, interleave);
            expect(ctx.s.nodes.length).toBe(2);
            const replayed = applyAll(ctx.log.map((e) => ({ ...e })));
            expect(stateHash(replayed)).toBe(stateHash(ctx.s));
            const round = deserializeState(serializeState(ctx.s));
            expect(stateHash(round)).toBe(stateHash(ctx.s));
            expect(round.nodes.map((n) => n.nrFolios)).toEqual(ctx.s.nodes.map((n) => n.nrFolios));
          },
        ),
        { numRuns: 60, seed: 20261126 },
      );
    });
  }

  it('two nodes: the operations charge, wake kswapd, reclaim and reparent on both nodes', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.array(op, { minLength: 50, maxLength: 150 }), fc.integer({ min: 48, max: 120 }), (ops, mem) => {
        for (const interleave of [false, true]) {
          for (const e of runOps('reparent', mem, ops, 'same-gen', 8, 2, interleave).log) {
            const name = EVENT_NAMES[e.type];
            if (name === 'charge') seen.add(`charge ${nidOf(e.a)}`);
            if (name === 'kswapd_wake') seen.add(`kswapd_wake ${e.a}`);
            if (name === 'reparent_locks') seen.add(`reparent_locks ${nidOf(e.b)}`);
            if (name === 'age') seen.add(`age ${nidOf(e.a)}`);
          }
        }
      }),
      { numRuns: 30, seed: 12 },
    );
    for (const nid of [0, 1])
      for (const k of ['charge', 'kswapd_wake', 'reparent_locks', 'age']) expect(seen, `${k} ${nid}`).toContain(`${k} ${nid}`);
  });

  it('the operations reach every issue-9 event (swap, writeback, putback, kswapd, the reclaim cookie)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 50, maxLength: 150 }),
        fc.integer({ min: 24, max: 80 }),
        fc.constantFrom(8, 64),
        (ops, mem, swap) => {
          for (const e of runOps('legacy', mem, ops, 'classic', swap).log) seen.add(EVENT_NAMES[e.type]);
          for (const e of runOps('reparent', mem, ops, 'same-gen', swap).log) seen.add(EVENT_NAMES[e.type]);
        },
      ),
      { numRuns: 40, seed: 100 },
    );
    for (const name of [
      'swap_out',
      'swap_free',
      'putback',
      'writeback_start',
      'writeback_end',
      'kswapd_wake',
      'kswapd_sleep',
      'memcg_iter',
      'folio_map',
      'folio_unmap',
      'lru_note_cost',
      'snapshot_refaults',
    ]) {
      expect(seen, name).toContain(name);
    }
  });

  it('reparent: nothing stays dying once its tasks are gone; legacy: memcgs with charged folios do', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 120 }), (ops) => {
        const ctx = runOps('reparent', 10_000, ops);
        expect(ctx.s.memcgs.get(ROOT_MEMCG)!.nrDyingDescendants).toBe(0);
        const legacy = runOps('legacy', 10_000, ops);
        for (const m of legacy.s.memcgs.values()) {
          if (m.state !== MEMCG_ONLINE) expect(m.cssRefs + m.children.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});
