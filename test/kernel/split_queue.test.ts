import { describe, expect, it } from 'vitest';
import { ROOT_MEMCG } from '../../src/kernel/constants.js';
import { deserializeState } from '../../src/kernel/deserialize.js';
import { E, EVENT_NAMES, MACHINE_OBJCG, TASK_DEFERRED_SPLIT } from '../../src/kernel/events.js';
import { IncrementalChecker } from '../../src/kernel/invariants/incremental.js';
import { checkInvariants } from '../../src/kernel/invariants.js';
import { splitQueueLockSequence } from '../../src/kernel/lock_order.js';
import { Lockdep } from '../../src/kernel/lockdep.js';
import { serializeState } from '../../src/kernel/serialize.js';
import { mkdir, rmdir } from '../../src/policy/cgroup.js';
import { DeferredSplitTask, splitQueueLock } from '../../src/policy/deferred_split.js';
import { faultAnon, freeFolio } from '../../src/policy/pagecache.js';
import { getPolicy } from '../../src/policy/policies.js';
import type { ConcurrencyOptions } from '../../src/policy/tasks.js';
import { TestCtx } from '../helpers.js';

// The THP deferred split queue (mm/huge_memory.c) and its reparenting on offline (Qi Zheng,
// "mm: thp: reparent the split queue during memcg offline"): split_queue_lock() rechecks
// css_is_dying and moves up; reparent_deferred_split_queue() moves members and split_queue_len
// under both locks; the split-queue invariant judges membership vs sizes.

const THP: ConcurrencyOptions = { agingWalk: false, cgroupReader: false, lruBatch: false, thpSplitQueue: true, stepProbability: 1 };

/** /system.slice (2) / job@1 (3), reparent (7.1), thpSplitQueue on, two anon folios of the job. */
function setup(check = true, bug = false) {
  const policy = getPolicy('reparent', undefined, undefined, bug ? 'split-queue-no-recheck' : null);
  const ctx = new TestCtx(policy, check, 1, THP);
  ctx.emit(E.machine(100_000, MACHINE_OBJCG));
  mkdir(ctx, ROOT_MEMCG, 'system.slice');
  mkdir(ctx, 2, 'job@1.service');
  return { ctx, a: faultAnon(ctx, 3)!, b: faultAnon(ctx, 3)! };
}

const names = (ctx: TestCtx) => ctx.log.map((e) => EVENT_NAMES[e.type]);

describe('the deferred split queue and split_queue_lock()', () => {
  it('reparent_deferred_split_queue moves the members and split_queue_len to the parent tail, before the objcgs', () => {
    const { ctx, a, b } = setup();
    ctx.emit(E.deferredSplitQueue(a, 2, TASK_DEFERRED_SPLIT)); // the parent holds one already
    ctx.emit(E.deferredSplitQueue(b, 3, TASK_DEFERRED_SPLIT));
    rmdir(ctx, 3);
    const offline = names(ctx).indexOf('memcg_offline');
    expect(names(ctx).slice(offline, offline + 2)).toEqual(['memcg_offline', 'split_queue_reparent']);
    expect(names(ctx).indexOf('objcg_reparent')).toBeGreaterThan(offline + 1);
    expect(ctx.log[offline + 1]).toMatchObject({ memcg: 3, a: 2, b: 1 });
    expect(ctx.s.splitQueues.get(2)).toEqual({ len: 2, folios: [a, b], reparented: false });
    // nothing pinned job@1: freed at once, and its empty queue with it
    expect(ctx.s.memcgs.has(3)).toBe(false);
    expect(ctx.s.splitQueues.has(3)).toBe(false);
    expect(checkInvariants(ctx.s)).toEqual([]);
    // a freed folio leaves its queue under the queue's lock
    freeFolio(ctx, b);
    expect(ctx.s.splitQueues.get(2)).toEqual({ len: 1, folios: [a], reparented: false });
    expect(checkInvariants(ctx.s)).toEqual([]);
  });

  it('split_queue_lock() retries with the parent while the memcg is dying; without the recheck it keeps the dying one', () => {
    for (const recheck of [true, false]) {
      const { ctx, a } = setup(false);
      mkdir(ctx, 3, 'container0'); // 4 under job@1 (3)
      ctx.emit(E.rcuReadLock(TASK_DEFERRED_SPLIT)); // keeps both from being freed
      rmdir(ctx, 4);
      expect(splitQueueLock(ctx, a, 4, recheck, TASK_DEFERRED_SPLIT)).toBe(recheck ? 3 : 4);
      rmdir(ctx, 3); // both dying now: the retry climbs two levels
      const before = ctx.log.length;
      expect(splitQueueLock(ctx, a, 4, recheck, TASK_DEFERRED_SPLIT)).toBe(recheck ? 2 : 4);
      expect(ctx.log.slice(before).map((e) => [EVENT_NAMES[e.type], e.memcg])).toEqual(
        recheck
          ? [
              ['split_queue_lock_retry', 4],
              ['split_queue_lock_retry', 3],
            ]
          : [],
      );
      expect(splitQueueLock(ctx, a, 2, recheck, TASK_DEFERRED_SPLIT)).toBe(2); // online: no retry
    }
  });

  it('a deferred_split_folio task racing with the offline: the recheck queues on the parent; the bug on the reparented child', () => {
    for (const bug of [false, true]) {
      const { ctx, a } = setup(false, bug);
      const t = new DeferredSplitTask(a, !bug);
      expect(t.step(ctx)).toBe(false); // rcu_read_lock, memcg = folio_memcg(folio) = job@1
      rmdir(ctx, 3); // offline + reparent_deferred_split_queue while the task spins on the lock
      expect(t.step(ctx)).toBe(true);
      // the task's unlock ends the grace period: job@1 is freed after it
      const tail = ctx.log.slice(-4).map((e) => [EVENT_NAMES[e.type], e.memcg]);
      const v = checkInvariants(ctx.s);
      if (!bug) {
        expect(tail).toEqual([
          ['split_queue_lock_retry', 3],
          ['deferred_split_queue', 2],
          ['rcu_read_unlock', 0],
          ['memcg_free', 3],
        ]);
        expect(v).toEqual([]);
      } else {
        expect(tail.slice(1)).toEqual([
          ['deferred_split_queue', 3],
          ['rcu_read_unlock', 0],
          ['memcg_free', 3],
        ]);
        // freed with the folio still linked to its queue: the kernel's use after free
        expect(v.map((x) => [x.invariant, x.detail])).toEqual([
          ['split-queue', `memcg 3 was freed with folio ${a} on its deferred split queue (1 linked to the freed list head)`],
          [
            'split-queue',
            `memcg 3's deferred split queue was reparented, yet folio ${a} is on it (queued under its lock after reparent_deferred_split_queue)`,
          ],
        ]);
      }
    }
  });
});

describe('the split-queue invariant (membership vs sizes), full and incremental', () => {
  it('names a split_queue_len that disagrees with the list, a freed member, and a freed memcg with members', () => {
    const { ctx, a, b } = setup(false);
    const inc = new IncrementalChecker(ctx.s);
    const step = (e: ReturnType<typeof E.deferredSplitQueue>) => {
      inc.before(e);
      ctx.emit(e);
      return [inc.after(e), checkInvariants(ctx.s)];
    };
    let [got, full] = step(E.deferredSplitQueue(a, 3, TASK_DEFERRED_SPLIT));
    expect(got).toEqual([]);
    expect(full).toEqual([]);
    // the unqueue decrements the queue whose lock it took (2), while the folio was on 3's list
    [got, full] = step(E.deferredSplitUnqueue(a, 2));
    expect(full.map((x) => x.detail)).toEqual([
      'memcg 3: split_queue_len is 1 but 0 folios are on its queue',
      'memcg 2: split_queue_len is -1 but 0 folios are on its queue',
    ]);
    expect(got).toEqual(full);
    // the folio freed while queued (an uncharge without the unqueue)
    ctx.emit(E.deferredSplitQueue(b, 3, TASK_DEFERRED_SPLIT));
    [got, full] = step(E.uncharge(b));
    expect(full.some((x) => x.detail === `folio ${b} on memcg 3's deferred split queue was freed`)).toBe(true);
    expect(got).toEqual(full);
  });

  it('survives a snapshot as trailer 5, byte for byte', () => {
    const { ctx, a, b } = setup();
    ctx.emit(E.deferredSplitQueue(b, 3, TASK_DEFERRED_SPLIT));
    ctx.emit(E.deferredSplitQueue(a, 3, TASK_DEFERRED_SPLIT));
    rmdir(ctx, 3);
    const back = deserializeState(serializeState(ctx.s));
    expect([...back.splitQueues]).toEqual([...ctx.s.splitQueues]);
    expect(serializeState(back).equals(serializeState(ctx.s))).toBe(true);
  });
});

describe('lockdep and the split queue locks', () => {
  it('child then parent with SINGLE_DEPTH_NESTING is one dependency; the reverse nesting would be a circular one', () => {
    const dep = new Lockdep();
    dep.acquireAll(1, splitQueueLockSequence(3, 2));
    dep.acquireAll(2, splitQueueLockSequence(4, 2));
    expect(dep.reports).toEqual([]);
    expect(dep.dependencies()).toEqual(['split_queue_lock/0 -> split_queue_lock/1']);
    dep.acquireAll(3, [
      { lock: 'split_queue_lock', memcg: 2, subclass: 1 },
      { lock: 'split_queue_lock', memcg: 3, subclass: 0 },
    ]);
    expect(dep.reports.map((r) => [r.kind, r.held])).toEqual([['circular-dependency', 'split_queue_lock(2)/1, split_queue_lock(3)/0']]);
  });
});
