import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LabError } from '../../src/errors.js';
import { ROOT_MEMCG, SWAP_CLUSTER_MAX } from '../../src/kernel/constants.js';
import {
  E,
  EVENT_NAMES,
  LIMIT_LOW,
  LIMIT_MIN,
  MACHINE_INTERLEAVE,
  MACHINE_MGLRU,
  MACHINE_OBJCG,
  SYSCTL_IO_TICKS,
  SYSCTL_SWAP_PAGES,
  SYSCTL_WRITEBACK_TICKS,
} from '../../src/kernel/events.js';
import { lruvecOf, nidOf, withNid } from '../../src/kernel/node.js';
import { deserializeState, serializeState, stateHash } from '../../src/kernel/serialize.js';
import { MEMCG_ONLINE, pageCacheKey } from '../../src/kernel/state.js';
import { tryToIncMaxSeq } from '../../src/policy/aging_mglru.js';
import { mkdir, rmdir } from '../../src/policy/cgroup.js';
import { memoryReclaim } from '../../src/policy/memcg_reclaim.js';
import { faultAnon, freeFolio, mapPage, markAccessed, readPage, unmapPage, writePage, writeShmem } from '../../src/policy/pagecache.js';
import { getPolicy, type MglruReparentMode } from '../../src/policy/policies.js';
import { tryToFreePages } from '../../src/policy/reclaim.js';
import { runBackgroundWriteback } from '../../src/policy/writeback.js';
import { applyAll, TestCtx } from '../helpers.js';

/** One random operation; indexes are reduced modulo what exists when it runs. */
const op = fc.oneof(
  fc.record({ k: fc.constant('mkdir' as const), parent: fc.nat() }),
  fc.record({ k: fc.constant('read' as const), memcg: fc.nat(), page: fc.nat({ max: 40 }) }),
  fc.record({ k: fc.constant('write' as const), memcg: fc.nat() }),
  fc.record({ k: fc.constant('anon' as const), memcg: fc.nat() }),
  fc.record({ k: fc.constant('shmem' as const), memcg: fc.nat() }),
  fc.record({ k: fc.constant('free' as const), folio: fc.nat() }),
  fc.record({ k: fc.constant('rmdir' as const), memcg: fc.nat() }),
  fc.record({ k: fc.constant('reclaim' as const), memcg: fc.nat(), nr: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ k: fc.constant('limit' as const), memcg: fc.nat(), pages: fc.integer({ min: 4, max: 40 }), high: fc.boolean() }),
  fc.record({ k: fc.constant('age' as const), memcg: fc.nat() }),
  fc.record({ k: fc.constant('task' as const), memcg: fc.nat(), start: fc.boolean() }),
  fc.record({ k: fc.constant('touch' as const), folio: fc.nat() }),
  // issue 9: mappings, dirty pages and their writeback, swap, protection
  fc.record({ k: fc.constant('map' as const), memcg: fc.nat(), page: fc.nat({ max: 40 }) }),
  fc.record({ k: fc.constant('unmap' as const), page: fc.nat({ max: 40 }) }),
  fc.record({ k: fc.constant('dirty' as const), memcg: fc.nat() }),
  fc.record({ k: fc.constant('sleep' as const), ticks: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ k: fc.constant('protect' as const), memcg: fc.nat(), pages: fc.integer({ min: 0, max: 30 }), low: fc.boolean() }),
  fc.record({ k: fc.constant('memory.reclaim' as const), memcg: fc.nat(), nr: fc.integer({ min: 1, max: 64 }) }),
);

type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function pick<T>(xs: T[], i: number): T | undefined {
  return xs.length ? xs[i % xs.length] : undefined;
}

function runOps(
  policy: string,
  memoryPages: number,
  ops: Op[],
  lru: 'classic' | MglruReparentMode = 'classic',
  swapPages = 0,
  nodes = 1,
  interleave = false,
): TestCtx {
  const ctx = new TestCtx(getPolicy(policy, lru === 'classic' ? 'same-gen' : lru));
  const flags =
    (ctx.policy.objcgCharging ? MACHINE_OBJCG : 0) | (lru !== 'classic' ? MACHINE_MGLRU : 0) | (interleave ? MACHINE_INTERLEAVE : 0);
  ctx.emit(E.machine(memoryPages, withNid(flags, nodes - 1)));
  if (swapPages) ctx.emit(E.sysctl(SYSCTL_SWAP_PAGES, swapPages));
  ctx.emit(E.sysctl(SYSCTL_WRITEBACK_TICKS, 6));
  ctx.emit(E.sysctl(SYSCTL_IO_TICKS, 3));
  let nextLogPage = 0;
  for (const o of ops) {
    ctx.advance();
    const online = [...ctx.s.memcgs.values()].filter((m) => m.state === MEMCG_ONLINE);
    const nonRoot = online.filter((m) => m.id !== ROOT_MEMCG);
    try {
      switch (o.k) {
        case 'mkdir': {
          const p = pick(online, o.parent)!;
          if (p.path.split('/').length < 4) mkdir(ctx, p.id, `cg${ctx.s.nextMemcg}`);
          break;
        }
        case 'read': {
          const m = pick(nonRoot, o.memcg);
          if (m) readPage(ctx, m.id, pageCacheKey(1, o.page));
          break;
        }
        case 'write': {
          const m = pick(nonRoot, o.memcg);
          if (m) writePage(ctx, m.id, pageCacheKey(2, nextLogPage++));
          break;
        }
        case 'anon': {
          const m = pick(nonRoot, o.memcg);
          if (m) faultAnon(ctx, m.id);
          break;
        }
        case 'shmem': {
          const m = pick(nonRoot, o.memcg);
          if (m) writeShmem(ctx, m.id);
          break;
        }
        case 'free': {
          const f = pick([...ctx.s.folios.keys(), ...ctx.s.swapEntries.keys()], o.folio);
          if (f) freeFolio(ctx, f);
          break;
        }
        case 'rmdir': {
          const leaves = nonRoot.filter((m) => m.nrTasks === 0 && m.children.every((c) => ctx.s.memcgs.get(c)!.state !== MEMCG_ONLINE));
          const m = pick(leaves, o.memcg);
          if (m) rmdir(ctx, m.id);
          break;
        }
        case 'reclaim': {
          const live = [...ctx.s.memcgs.values()];
          tryToFreePages(ctx, pick(live, o.memcg)!.id, Math.min(o.nr, SWAP_CLUSTER_MAX * 2));
          break;
        }
        case 'limit': {
          const m = pick(nonRoot, o.memcg);
          if (m) ctx.emit(E.limitSet(m.id, o.high ? 2 : 1, o.pages));
          break;
        }
        case 'age': {
          const m = pick([...ctx.s.memcgs.values()], o.memcg);
          const nid = o.memcg % ctx.s.nodes.length;
          if (m && ctx.s.mglru) tryToIncMaxSeq(ctx, m, nid, lruvecOf(m, nid).lrugen.maxSeq);
          break;
        }
        case 'task': {
          const m = pick(nonRoot, o.memcg);
          if (m && o.start) ctx.emit(E.jobStart(m.id, 0));
          else if (m && m.nrTasks > 0) ctx.emit(E.jobExit(m.id, 0));
          break;
        }
        case 'touch': {
          const f = pick([...ctx.s.folios.keys()], o.folio);
          if (f) markAccessed(ctx, ctx.s.folios.get(f)!);
          break;
        }
        case 'map': {
          const m = pick(nonRoot, o.memcg);
          if (m) mapPage(ctx, m.id, pageCacheKey(1, o.page));
          break;
        }
        case 'unmap':
          unmapPage(ctx, pageCacheKey(1, o.page));
          break;
        case 'dirty': {
          const m = pick(nonRoot, o.memcg);
          if (m) writePage(ctx, m.id, pageCacheKey(2, nextLogPage++), true);
          break;
        }
        case 'sleep': {
          for (let t = 0; t < o.ticks; t++) ctx.advance();
          ctx.emit(E.cycle(ctx.s.cycle)); // stamps the new tick, as any event would
          runBackgroundWriteback(ctx);
          break;
        }
        case 'protect': {
          const m = pick(nonRoot, o.memcg);
          if (m) ctx.emit(E.limitSet(m.id, o.low ? LIMIT_LOW : LIMIT_MIN, o.pages));
          break;
        }
        case 'memory.reclaim': {
          const m = pick(online, o.memcg);
          if (m) memoryReclaim(ctx, m.id, o.nr);
          break;
        }
      }
    } catch (e) {
      if (e instanceof LabError && /out of memory/.test(e.message)) break; // a legitimate end: anon filled memory
      throw e;
    }
  }
  return ctx;
}

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
