import fc from 'fast-check';
import { LabError } from '../../src/errors.js';
import { ROOT_MEMCG, SWAP_CLUSTER_MAX } from '../../src/kernel/constants.js';
import {
  E,
  LIMIT_LOW,
  LIMIT_MIN,
  MACHINE_INTERLEAVE,
  MACHINE_MGLRU,
  MACHINE_OBJCG,
  SYSCTL_IO_TICKS,
  SYSCTL_SWAP_PAGES,
  SYSCTL_WRITEBACK_TICKS,
} from '../../src/kernel/events.js';
import { lruvecOf, withNid } from '../../src/kernel/node.js';
import { folioMemcgId, MEMCG_ONLINE, pageCacheKey } from '../../src/kernel/state.js';
import { tryToIncMaxSeq } from '../../src/policy/aging_mglru.js';
import type { BugName } from '../../src/policy/bugs.js';
import { mkdir, rmdir } from '../../src/policy/cgroup.js';
import { memoryReclaim } from '../../src/policy/memcg_reclaim.js';
import { faultAnon, freeFolio, mapPage, markAccessed, readPage, unmapPage, writePage, writeShmem } from '../../src/policy/pagecache.js';
import { getPolicy, type MglruReparentMode } from '../../src/policy/policies.js';
import { tryToFreePages } from '../../src/policy/reclaim.js';
import type { ConcurrencyOptions } from '../../src/policy/tasks.js';
import { runBackgroundWriteback } from '../../src/policy/writeback.js';
import { TestCtx } from '../helpers.js';

// Random operation sequences through the deciders, shared by the property tests (deciders,
// the incremental checker): a fast-check arbitrary of operations and the harness that runs them.

/** One random operation; indexes are reduced modulo what exists when it runs. */
export const op = fc.oneof(
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

/**
 * Not among the default operations: a recent folio accessed twice (activated; through the
 * activate batch when it is a task), a few preemption points (where tasks beside the workload
 * read its memcg), then its memcg removed if it can be: the window the bug variants race in.
 */
export const raceOp = fc.record({ k: fc.constant('race' as const), back: fc.nat({ max: 4 }), spins: fc.nat({ max: 3 }) });

type OpOf<A> = A extends fc.Arbitrary<infer T> ? T : never;
export type Op = OpOf<typeof op> | OpOf<typeof raceOp>;

function pick<T>(xs: T[], i: number): T | undefined {
  return xs.length ? xs[i % xs.length] : undefined;
}

/** What else a run of operations may have: no invariant checks (a bug is allowed to break them), a bug, tasks beside the workload. */
export interface OpsOptions {
  check?: boolean;
  bug?: BugName;
  concurrency?: ConcurrencyOptions;
}

export function runOps(
  policy: string,
  memoryPages: number,
  ops: Op[],
  lru: 'classic' | MglruReparentMode = 'classic',
  swapPages = 0,
  nodes = 1,
  interleave = false,
  opts: OpsOptions = {},
): TestCtx {
  const mode = lru === 'classic' ? 'same-gen' : lru;
  const ctx = new TestCtx(getPolicy(policy, mode, undefined, opts.bug ?? null), opts.check ?? true, 1, opts.concurrency);
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
          const f = m && faultAnon(ctx, m.id);
          // a partial munmap of it now and then (a deferred_split_folio task; machine.concurrency.thpSplitQueue)
          if (f && ctx.tasks?.opts.thpSplitQueue && f % 2) ctx.tasks.deferredSplit(f);
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
        case 'race': {
          const ids = [...ctx.s.folios.keys()];
          const f = ctx.s.folios.get(ids[ids.length - 1 - Math.min(o.back, ids.length - 1)]);
          if (!f) break;
          const memcg = folioMemcgId(ctx.s, f)!;
          if (!f.file && !f.shmem && ctx.tasks?.opts.thpSplitQueue) ctx.tasks.deferredSplit(f.id); // a THP partially unmapped
          markAccessed(ctx, f);
          if (ctx.s.folios.has(f.id)) markAccessed(ctx, ctx.s.folios.get(f.id)!);
          for (let i = 0; i < o.spins; i++) ctx.advance();
          const m = ctx.s.memcgs.get(memcg);
          const leaf = m?.children.every((c) => ctx.s.memcgs.get(c)!.state !== MEMCG_ONLINE);
          if (m && m.id !== ROOT_MEMCG && m.state === MEMCG_ONLINE && m.nrTasks === 0 && leaf) rmdir(ctx, m.id);
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
