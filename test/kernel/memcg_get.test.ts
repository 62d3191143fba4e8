import { describe, expect, it } from 'vitest';
import { ROOT_MEMCG } from '../../src/kernel/constants.js';
import { deserializeState } from '../../src/kernel/deserialize.js';
import { E, EVENT_NAMES, MACHINE_OBJCG } from '../../src/kernel/events.js';
import { checkInvariants } from '../../src/kernel/invariants.js';
import { serializeState } from '../../src/kernel/serialize.js';
import { MEMCG_DYING, pageCacheKey } from '../../src/kernel/state.js';
import { mkdir, rmdir } from '../../src/policy/cgroup.js';
import { MemcgGetterTask, SPIN_LIMIT } from '../../src/policy/memcg_getter.js';
import { readPage } from '../../src/policy/pagecache.js';
import { getPolicy } from '../../src/policy/policies.js';
import { TestCtx } from '../helpers.js';

// get_mem_cgroup_from_folio() as a task (issue 13, "unbounded retry"): a css_tryget that fails is
// followed by a folio_memcg() read that climbs the tree, so a call retries at most once per
// ancestor that dies meanwhile (its memcg's depth); the bug retries the memcg it read first.

/** /system.slice (2) / pod (3) / container (4): a page-cache folio charged to the container. */
function setup(check: boolean) {
  const ctx = new TestCtx(getPolicy('reparent'), check);
  ctx.emit(E.machine(100_000, MACHINE_OBJCG));
  mkdir(ctx, ROOT_MEMCG, 'system.slice');
  mkdir(ctx, 2, 'pod');
  mkdir(ctx, 3, 'container0');
  ctx.emit(E.jobStart(4, 1));
  readPage(ctx, 4, pageCacheKey(7, 0));
  ctx.emit(E.jobExit(4, 1));
  return ctx;
}

const GETTER = new Set(['rcu_read_lock', 'rcu_read_unlock', 'memcg_get_read', 'css_tryget', 'css_put', 'memcg_free']);
/** The getter's events (and frees) since `from`, as `name memcg/b`. */
const names = (ctx: TestCtx, from: number) =>
  ctx.log
    .slice(from)
    .filter((e) => GETTER.has(EVENT_NAMES[e.type]))
    .map((e) => `${EVENT_NAMES[e.type]} ${e.memcg}/${e.b}`);

describe('get_mem_cgroup_from_folio() retries', () => {
  it('a failed css_tryget re-reads folio_memcg(), which climbs one level per dead ancestor, and ends holding a ref', () => {
    const ctx = setup(true); // every invariant after every event
    const task = new MemcgGetterTask(true);
    const from = ctx.log.length;
    expect(task.step(ctx)).toBe(false); // memcg = folio_memcg(folio): the container
    rmdir(ctx, 4); // its last ref goes; the grace period (the getter's RCU) keeps it
    expect(task.step(ctx)).toBe(false); // css_tryget fails; the read now gives the pod
    rmdir(ctx, 3); // and the pod dies too
    expect(task.step(ctx)).toBe(false); // fails again; /system.slice
    expect(task.step(ctx)).toBe(false); // got it; rcu_read_unlock frees container and pod
    expect(ctx.s.memcgGet).toMatchObject({ memcg: 2, retries: 2, bound: 3, held: true });
    expect(ctx.s.memcgs.get(2)!.cssRefs).toBe(2); // the online ID's and the caller's
    expect(task.step(ctx)).toBe(true); // css_put
    expect(names(ctx, from)).toEqual([
      'rcu_read_lock 0/0',
      'memcg_get_read 4/0',
      'css_tryget 4/0',
      'memcg_get_read 3/1',
      'css_tryget 3/0',
      'memcg_get_read 2/2',
      'css_tryget 2/1',
      'rcu_read_unlock 0/0',
      'memcg_free 4/0',
      'memcg_free 3/0',
      'css_put 2/0',
    ]);
    expect(ctx.s.memcgGets).toEqual({ calls: 1, giveups: 0, retries: 2, maxRetries: 2 });
    expect(ctx.s.memcgGet).toBeNull();
  });

  it('the ref the call returns keeps a dying memcg from being freed until css_put', () => {
    const ctx = setup(true);
    const task = new MemcgGetterTask(true);
    task.step(ctx);
    task.step(ctx); // css_tryget on the online container: got it
    rmdir(ctx, 4);
    expect(ctx.s.memcgs.get(4)).toMatchObject({ state: MEMCG_DYING, cssRefs: 1 });
    expect(task.step(ctx)).toBe(true);
    expect(ctx.s.memcgs.has(4)).toBe(false);
    expect(EVENT_NAMES[ctx.log.at(-1)!.type]).toBe('memcg_free');
  });

  it('the bug retries the memcg it read first: the invariant breaks at the failure past the depth, and the lab cuts the spin', () => {
    const ctx = setup(false);
    const task = new MemcgGetterTask(false);
    task.step(ctx);
    rmdir(ctx, 4);
    const failures: number[] = [];
    let firstBad = 0;
    for (let done = false; !done; ) {
      const from = ctx.log.length;
      done = task.step(ctx);
      for (const e of ctx.log.slice(from)) if (EVENT_NAMES[e.type] === 'css_tryget') failures.push(e.seq);
      const v = checkInvariants(ctx.s);
      if (v.length && !firstBad) {
        firstBad = failures.length;
        expect(v.map((x) => x.invariant)).toEqual(['bounded-retries']);
        expect(v[0].detail).toContain(`css_tryget on memcg 4 failed 4 times by seq ${failures[3]}, past its bound 3`);
        expect(v[0].detail).toContain('folio_memcg() gives memcg 3');
      }
    }
    expect(firstBad).toBe(4); // the container's depth is 3: the 4th failure is the first past it
    expect(failures).toHaveLength(SPIN_LIMIT);
    // freed once the spinner left its read section
    expect(ctx.log.slice(-3).map((e) => EVENT_NAMES[e.type])).toEqual(['memcg_get_giveup', 'rcu_read_unlock', 'memcg_free']);
    expect(ctx.s.memcgs.has(4)).toBe(false);
    expect(ctx.s.memcgGets).toEqual({ calls: 0, giveups: 1, retries: SPIN_LIMIT, maxRetries: SPIN_LIMIT });
    // the spin record and the counters survive a snapshot (trailers 7 and 8), as does a call in progress
    new MemcgGetterTask(true).step(ctx);
    const back = deserializeState(serializeState(ctx.s));
    expect(back.spins).toEqual(ctx.s.spins);
    expect(back.memcgGets).toEqual(ctx.s.memcgGets);
    expect(back.memcgGet).toEqual(ctx.s.memcgGet);
    expect(serializeState(back).equals(serializeState(ctx.s))).toBe(true);
  });

  it('evolve refuses a css_tryget that could not happen', () => {
    const ctx = setup(false);
    expect(() => ctx.emit(E.cssTryget(4, 1, 4, true))).toThrow(/no get_mem_cgroup_from_folio\(\) call is in progress/);
    new MemcgGetterTask(true).step(ctx);
    expect(() => ctx.emit(E.cssTryget(4, 1, 4, false))).toThrow(/has 1 css refs: css_tryget cannot fail/);
    expect(() => ctx.emit(E.memcgGetRead(1, 3, 4, 1))).toThrow(/folio_memcg\(folio 1\) is memcg 4, not 3/);
  });
});
