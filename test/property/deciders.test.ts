import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lruvecOf } from '../../src/kernel/node.js';
import { ROOT_MEMCG, SWAP_CLUSTER_MAX } from '../../src/kernel/constants.js';
import { E, MACHINE_MGLRU, MACHINE_OBJCG } from '../../src/kernel/events.js';
import { deserializeState, serializeState, stateHash } from '../../src/kernel/serialize.js';
import { MEMCG_ONLINE, pageCacheKey } from '../../src/kernel/state.js';
import { memoryReclaim } from '../../src/policy/memcg_reclaim.js';
import { mkdir, rmdir } from '../../src/policy/cgroup.js';
import { tryToIncMaxSeq } from '../../src/policy/aging_mglru.js';
import { faultAnon, freeFolio, markAccessed, readPage, writePage } from '../../src/policy/pagecache.js';
import { getPolicy, type MglruReparentMode } from '../../src/policy/policies.js';
import { tryToFreePages } from '../../src/policy/reclaim.js';
import { applyAll, TestCtx } from '../helpers.js';

/** One random operation; indexes are reduced modulo what exists when it runs. */
const op = fc.oneof(
  fc.record({ k: fc.constant('mkdir' as const), parent: fc.nat() }),
  fc.record({ k: fc.constant('read' as const), memcg: fc.nat(), page: fc.nat({ max: 40 }) }),
  fc.record({ k: fc.constant('write' as const), memcg: fc.nat() }),
  fc.record({ k: fc.constant('anon' as const), memcg: fc.nat() }),
  fc.record({ k: fc.constant('free' as const), folio: fc.nat() }),
  fc.record({ k: fc.constant('rmdir' as const), memcg: fc.nat() }),
  fc.record({ k: fc.constant('reclaim' as const), memcg: fc.nat(), nr: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ k: fc.constant('limit' as const), memcg: fc.nat(), pages: fc.integer({ min: 4, max: 40 }), high: fc.boolean() }),
  fc.record({ k: fc.constant('age' as const), memcg: fc.nat() }),
  fc.record({ k: fc.constant('task' as const), memcg: fc.nat(), start: fc.boolean() }),
  fc.record({ k: fc.constant('touch' as const), folio: fc.nat() }),
  fc.record({ k: fc.constant('memory.reclaim' as const), memcg: fc.nat(), nr: fc.integer({ min: 1, max: 64 }) }),
);

type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function pick<T>(xs: T[], i: number): T | undefined {
  return xs.length ? xs[i % xs.length] : undefined;
}

function runOps(policy: string, memoryPages: number, ops: Op[], lru: 'classic' | MglruReparentMode = 'classic'): TestCtx {
  const ctx = new TestCtx(getPolicy(policy, lru === 'classic' ? 'same-gen' : lru));
  ctx.emit(E.machine(memoryPages, (ctx.policy.objcgCharging ? MACHINE_OBJCG : 0) | (lru !== 'classic' ? MACHINE_MGLRU : 0)));
  let nextLogPage = 0;
  for (const o of ops) {
    ctx.advance();
    const online = [...ctx.s.memcgs.values()].filter((m) => m.state === MEMCG_ONLINE);
    const nonRoot = online.filter((m) => m.id !== ROOT_MEMCG);
    switch (o.k) {
      case 'mkdir': {
        const p = pick(online, o.parent)!;
        if (p.path.split('/').length < 4) mkdir(ctx, p.id, `cg${ctx.s.nextMemcg}`);
        break;
      }
      case 'read': { const m = pick(nonRoot, o.memcg); if (m) readPage(ctx, m.id, pageCacheKey(1, o.page)); break; }
      case 'write': { const m = pick(nonRoot, o.memcg); if (m) writePage(ctx, m.id, pageCacheKey(2, nextLogPage++)); break; }
      case 'anon': { const m = pick(nonRoot, o.memcg); if (m) faultAnon(ctx, m.id); break; }
      case 'free': { const f = pick([...ctx.s.folios.keys()], o.folio); if (f) freeFolio(ctx, f); break; }
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
      case 'limit': { const m = pick(nonRoot, o.memcg); if (m) ctx.emit(E.limitSet(m.id, o.high ? 2 : 1, o.pages)); break; }
      case 'age': {
        const m = pick([...ctx.s.memcgs.values()], o.memcg);
        if (m && ctx.s.mglru) tryToIncMaxSeq(ctx, m, 0, lruvecOf(m, 0).lrugen.maxSeq);
        break;
      }
      case 'task': {
        const m = pick(nonRoot, o.memcg);
        if (m && o.start) ctx.emit(E.jobStart(m.id, 0));
        else if (m && m.nrTasks > 0) ctx.emit(E.jobExit(m.id, 0));
        break;
      }
      case 'touch': { const f = pick([...ctx.s.folios.keys()], o.folio); if (f) markAccessed(ctx, ctx.s.folios.get(f)!); break; }
      case 'memory.reclaim': { const m = pick(online, o.memcg); if (m) memoryReclaim(ctx, m.id, o.nr); break; }
    }
  }
  return ctx;
}

describe('property: random operations through the deciders keep every kernel invariant', () => {
  const cases: [string, 'classic' | MglruReparentMode][] = [
    ['legacy', 'classic'], ['reparent', 'classic'],
    ['legacy', 'same-gen'], ['reparent', 'same-gen'], ['reparent', 'tail'], ['reparent', 'age-order'],
  ];
  for (const [policy, lru] of cases) {
    it(`${policy}, ${lru === 'classic' ? 'classic LRU' : `MGLRU ${lru}`}: invariants after every event; replay and snapshot round-trip give the same state`, () => {
      fc.assert(
        fc.property(fc.array(op, { minLength: 1, maxLength: 150 }), fc.integer({ min: 24, max: 200 }), (ops, mem) => {
          const ctx = runOps(policy, mem, ops, lru); // TestCtx throws on the first broken invariant
          const replayed = applyAll(ctx.log.map((e) => ({ ...e })), undefined);
          expect(stateHash(replayed)).toBe(stateHash(ctx.s));
          expect(stateHash(deserializeState(serializeState(ctx.s)))).toBe(stateHash(ctx.s));
        }),
        { numRuns: 100, seed: 20261125 },
      );
    });
  }

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
