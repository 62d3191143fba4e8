import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LRU_GEN_FILE, ROOT_MEMCG } from '../../src/kernel/constants.js';
import {
  decodeSplice,
  E,
  EventType,
  FOLIO_FILE,
  LOCK_ORDER_ALL_NODES,
  LOCK_ORDER_PER_NODE,
  MACHINE_MGLRU,
  MACHINE_OBJCG,
  SPLICE_SAME_GEN,
  SPLICE_SAME_GEN_TAIL,
} from '../../src/kernel/events.js';
import { formatLockSequence, lockSequence } from '../../src/kernel/lock_order.js';
import { lruGenFromSeq } from '../../src/kernel/lru_gen.js';
import { lruGenIndex } from '../../src/kernel/mmzone.js';
import { lruvecOf } from '../../src/kernel/node.js';
import { KERNELS, OVERRIDABLE_SWITCHES, SWITCH_NAMES, SWITCHES, type SwitchDecl, seriesSwitches } from '../../src/kernel/series.js';
import { SWITCH_TABLE_BEGIN, SWITCH_TABLE_END, switchTable } from '../../src/kernel/series_table.js';
import { type KernelState, pageCacheKey } from '../../src/kernel/state.js';
import { rmdir } from '../../src/policy/cgroup.js';
import { getPolicy } from '../../src/policy/policies.js';
import { applyAll, ROOT, TestCtx } from '../helpers.js';

const key = (i: number) => pageCacheKey(1, i);

/** A parent with one file folio and a child with one file folio in the same gen (the oldest), ready for rmdir. */
function parentAndChild(kernel: '7.1' | 'v1', lru: 'classic' | 'mglru' = 'mglru', overrides = {}): TestCtx {
  const ctx = new TestCtx(getPolicy('reparent', 'same-gen', seriesSwitches(kernel, overrides)));
  ctx.emit(E.machine(10_000, (lru === 'mglru' ? MACHINE_MGLRU : 0) | MACHINE_OBJCG));
  ctx.emit(E.memcgCreate(2, ROOT_MEMCG, 'system.slice'));
  ctx.emit(E.memcgCreate(3, 2, 'job@1.service'));
  ctx.emit(E.charge(1, 2, FOLIO_FILE, key(100))); // the parent's own
  ctx.emit(E.charge(2, 3, FOLIO_FILE, key(0))); // the child's
  return ctx;
}

/** Folio ids of the list folio `id` sits on, head first. */
function listOf(s: KernelState, memcg: number, id: number): number[] {
  const g = lruvecOf(s.memcgs.get(memcg)!, 0).lrugen;
  const out: number[] = [];
  for (let f = g.lists[s.folios.get(id)!.list].head; f; f = f.next) out.push(f.id);
  return out;
}

describe('kernel versions: the switches (src/kernel/series.ts)', () => {
  it('7.1 is the default; v1 and 7.1 differ in every switch but the post-merge fixes (off in both); overrides win', () => {
    expect(seriesSwitches()).toEqual(seriesSwitches('7.1'));
    for (const n of SWITCH_NAMES) {
      const post = (SWITCHES[n] as SwitchDecl).postMerge;
      if (post) expect([seriesSwitches('v1')[n], seriesSwitches('7.1')[n]]).toEqual([false, false]);
      else expect(seriesSwitches('v1')[n]).not.toBe(seriesSwitches('7.1')[n]);
    }
    expect(SWITCH_NAMES.filter((n) => (SWITCHES[n] as SwitchDecl).postMerge)).toEqual(['mglru_batch_forwarding']);
    expect(seriesSwitches('7.1', { mglru_splice_tail: true }).mglru_splice_tail).toBe(true);
    expect(seriesSwitches('v1', { mglru_splice_tail: false }).reparent_node_by_node).toBe(false);
    expect(KERNELS[0]).toBe('7.1');
  });

  it('only the switches that change what the lab records can be overridden', () => {
    expect(OVERRIDABLE_SWITCHES.sort()).toEqual(['mglru_batch_forwarding', 'mglru_splice_tail', 'reparent_node_by_node']);
    for (const n of SWITCH_NAMES) expect(SWITCHES[n].changedIn.length).toBeGreaterThan(0);
  });
});

describe('mglru_splice_tail: lru_gen_reparent_memcg splice end (v1 list_splice_tail_init; f304652609ea list_splice_init)', () => {
  it("7.1 (head, as merged in f304652609ea): the child folio goes before the parent's own: evicted after it", () => {
    const ctx = parentAndChild('7.1');
    rmdir(ctx, 3); // TestCtx checks every invariant after every event
    expect(listOf(ctx.s, 2, 2)).toEqual([2, 1]);
    const splices = ctx.log.filter((e) => e.type === EventType.splice);
    expect(splices.map((e) => decodeSplice(e.b).mode)).toEqual([SPLICE_SAME_GEN]);
  });

  it("v1 (tail, list_splice_tail_init): the child folio goes behind the parent's own: evicted first", () => {
    const ctx = parentAndChild('v1');
    rmdir(ctx, 3);
    expect(listOf(ctx.s, 2, 2)).toEqual([1, 2]);
    const splices = ctx.log.filter((e) => e.type === EventType.splice);
    expect(splices.map((e) => decodeSplice(e.b).mode)).toEqual([SPLICE_SAME_GEN_TAIL]);
    // the same index either way: flags gen untouched, nr_pages moved by index
    const f = ctx.s.folios.get(2)!;
    expect(f.list).toBe(lruGenIndex(f.gen, LRU_GEN_FILE));
    expect(f.gen).toBe(lruGenFromSeq(0));
  });

  it('overriding the switch under 7.1 gives the v1 end', () => {
    const ctx = parentAndChild('7.1', 'mglru', { mglru_splice_tail: true });
    rmdir(ctx, 3);
    expect(listOf(ctx.s, 2, 2)).toEqual([1, 2]);
  });

  it('a same-gen tail splice replays through evolve alone, and splice mode 0 still means head (old logs)', () => {
    for (const kernel of ['7.1', 'v1'] as const) {
      const ctx = parentAndChild(kernel);
      rmdir(ctx, 3);
      const replayed = applyAll(ctx.log);
      expect(listOf(replayed, 2, 2)).toEqual(listOf(ctx.s, 2, 2));
    }
  });
});

describe('reparent_node_by_node: the lock order reparent_locks records (memcg_reparent_objcgs → reparent_locks)', () => {
  for (const lru of ['classic', 'mglru'] as const) {
    it(`${lru}: 7.1 records objcg_lock, child lru_lock/1, parent lru_lock/2; v1 objcg_lock, child/0, parent/1`, () => {
      const seen: Record<string, string> = {};
      for (const kernel of ['7.1', 'v1'] as const) {
        const ctx = parentAndChild(kernel, lru);
        rmdir(ctx, 3);
        const locks = ctx.log.filter((e) => e.type === EventType.reparent_locks);
        expect(locks).toHaveLength(1);
        expect(locks[0].b).toBe(kernel === '7.1' ? LOCK_ORDER_PER_NODE : LOCK_ORDER_ALL_NODES);
        seen[kernel] = formatLockSequence(lockSequence(locks[0].b, locks[0].memcg, locks[0].a, [0]));
        // the unlock follows the splices and the objcg re-pointing
        const types = ctx.log.slice(ctx.log.indexOf(locks[0])).map((e) => e.type);
        expect(types.indexOf(EventType.objcg_reparent)).toBeLessThan(types.indexOf(EventType.reparent_unlocks));
      }
      expect(seen).toEqual({
        '7.1': 'objcg_lock, lru_lock(3,N0)/1, lru_lock(2,N0)/2',
        v1: 'objcg_lock, lru_lock(3,N0)/0, lru_lock(2,N0)/1',
      });
    });
  }

  it('v1 at several nodes takes every node in one section with subclasses 0..2N-1 (past 8 it overflows lockdep)', () => {
    const seq = lockSequence(LOCK_ORDER_ALL_NODES, 3, 2, [0, 1, 2, 3, 4]);
    expect(seq.map((l) => l.subclass)).toEqual([0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => lockSequence(LOCK_ORDER_PER_NODE, 3, 2, [0, 1])).toThrow(/one node/);
  });

  it('evolve refuses an unknown lock order', () => {
    const s = applyAll([E.machine(10_000, MACHINE_OBJCG), E.memcgCreate(2, ROOT_MEMCG, 'a'), E.memcgCreate(3, 2, 'b')]);
    expect(() => applyAll([E.reparentLocks(3, 2, 7)], s)).toThrow(/unknown lock order 7/);
  });
});

describe('the README table of switches', () => {
  const readme = join(ROOT, 'README.md');
  const text = existsSync(readme) ? readFileSync(readme, 'utf8') : '';
  it('lists every switch once with both values', () => {
    const t = switchTable();
    for (const n of SWITCH_NAMES) expect(t.split(`| \`${n}\` |`)).toHaveLength(2);
    expect(t).toContain('(unverified)');
  });
  // README's table is the generated one (regenerate: node -e "import('./dist/src/kernel/series_table.js').then(m => console.log(m.switchTable()))")
  it('README.md holds exactly the generated table', () => {
    const from = text.indexOf(SWITCH_TABLE_BEGIN);
    const to = text.indexOf(SWITCH_TABLE_END, from) + SWITCH_TABLE_END.length;
    expect(text.slice(from, to)).toBe(switchTable());
  });
});
