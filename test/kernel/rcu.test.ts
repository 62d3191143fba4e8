import { describe, expect, it } from 'vitest';
import { ROOT_MEMCG } from '../../src/kernel/constants.js';
import { deserializeState } from '../../src/kernel/deserialize.js';
import { E, EVENT_NAMES, MACHINE_OBJCG, TASK_CGROUP_READER } from '../../src/kernel/events.js';
import { checkInvariants } from '../../src/kernel/invariants.js';
import { serializeState } from '../../src/kernel/serialize.js';
import { MEMCG_DYING } from '../../src/kernel/state.js';
import { mkdir, rmdir } from '../../src/policy/cgroup.js';
import { faultAnon, freeFolio } from '../../src/policy/pagecache.js';
import { getPolicy } from '../../src/policy/policies.js';
import { freeAfterGracePeriod } from '../../src/policy/release.js';
import { TestCtx } from '../helpers.js';

// RCU read sections of tasks beside the workload (issue 13): css_free waits for a grace period,
// so a reader that took a memcg from folio_memcg() under rcu_read_lock() can still use it; without
// the read section (policyOptions.bug=no-rcu) it can be freed under the reader.

/** job@1 (3) under /system.slice (2), reparent (7.1), with one anon folio; the reader reads it. */
function setup() {
  const ctx = new TestCtx(getPolicy('reparent'), false);
  ctx.emit(E.machine(100_000, MACHINE_OBJCG));
  mkdir(ctx, ROOT_MEMCG, 'system.slice');
  mkdir(ctx, 2, 'job@1.service');
  ctx.emit(E.jobStart(3, 1));
  const f = faultAnon(ctx, 3);
  return { ctx, f };
}

const names = (ctx: TestCtx) => ctx.log.map((e) => EVENT_NAMES[e.type]);

describe('RCU grace periods and the folio_memcg() reader', () => {
  it('a memcg released while a reader is inside rcu_read_lock() is freed only when the reader leaves', () => {
    const { ctx, f } = setup();
    ctx.emit(E.rcuReadLock(TASK_CGROUP_READER)); // memcg = folio_memcg(folio) → job@1
    freeFolio(ctx, f);
    ctx.emit(E.jobExit(3, 1));
    rmdir(ctx, 3); // nothing pins job@1 any more, but the grace period has not ended
    expect(ctx.s.memcgs.get(3)?.state).toBe(MEMCG_DYING);
    expect(ctx.s.memcgs.get(1)!.nrDyingDescendants).toBe(1);
    ctx.emit(E.memcgDeref(f, 3, TASK_CGROUP_READER)); // still there: fine
    ctx.emit(E.rcuReadUnlock(TASK_CGROUP_READER));
    freeAfterGracePeriod(ctx);
    expect(ctx.s.memcgs.has(3)).toBe(false);
    expect(names(ctx).slice(-3)).toEqual(['memcg_deref', 'rcu_read_unlock', 'memcg_free']);
    expect(checkInvariants(ctx.s)).toEqual([]);
  });

  it('without the read section the memcg goes at once, and the later dereference is a use after free', () => {
    const { ctx, f } = setup();
    freeFolio(ctx, f);
    ctx.emit(E.jobExit(3, 1));
    rmdir(ctx, 3);
    expect(ctx.s.memcgs.has(3)).toBe(false);
    ctx.emit(E.memcgDeref(f, 3, TASK_CGROUP_READER));
    const seq = ctx.s.seq;
    expect(checkInvariants(ctx.s)).toEqual([
      { invariant: 'use-after-free', detail: `memcg 3 (read from folio ${f}) dereferenced at seq ${seq} after it was freed` },
    ]);
    // the record survives a snapshot (a trailer after the usual encoding), as do readers mid-section
    ctx.emit(E.rcuReadLock(TASK_CGROUP_READER));
    const back = deserializeState(serializeState(ctx.s));
    expect(back.freedReads).toEqual(ctx.s.freedReads);
    expect(back.rcuReaders).toBe(1);
    expect(serializeState(back).equals(serializeState(ctx.s))).toBe(true);
  });

  it('a dying parent waiting on its dying child goes after it, once the grace period ends', () => {
    const ctx = new TestCtx(getPolicy('reparent'), false);
    ctx.emit(E.machine(100_000, MACHINE_OBJCG));
    mkdir(ctx, ROOT_MEMCG, 'system.slice');
    mkdir(ctx, 2, 'pod');
    mkdir(ctx, 3, 'container0');
    ctx.emit(E.rcuReadLock(TASK_CGROUP_READER));
    rmdir(ctx, 4);
    rmdir(ctx, 3);
    expect([ctx.s.memcgs.has(3), ctx.s.memcgs.has(4)]).toEqual([true, true]);
    ctx.emit(E.rcuReadUnlock(TASK_CGROUP_READER));
    freeAfterGracePeriod(ctx);
    expect(ctx.log.filter((e) => EVENT_NAMES[e.type] === 'memcg_free').map((e) => e.memcg)).toEqual([4, 3]);
    expect(() => ctx.emit(E.rcuReadUnlock(TASK_CGROUP_READER))).toThrow(/without rcu_read_lock/);
  });
});
