import { beforeAll, describe, expect, it } from 'vitest';
import { LRU_ACTIVE_FILE, LRU_INACTIVE_ANON, LRU_INACTIVE_FILE, ROOT_MEMCG } from '../../src/kernel/constants.js';
import { setDebugVm } from '../../src/kernel/debug.js';
import { E, FOLIO_FILE, FOLIO_MAPPED, MACHINE_OBJCG } from '../../src/kernel/events.js';
import { EvolveError, evolve } from '../../src/kernel/evolve.js';
import { checkInvariants } from '../../src/kernel/invariants.js';
import { lruvecOf } from '../../src/kernel/node.js';
import { Stat } from '../../src/kernel/stat.js';
import { MEMCG_DYING, pageCacheKey } from '../../src/kernel/state.js';
import { applyAll } from '../helpers.js';

const key = (i: number) => pageCacheKey(1, i);

beforeAll(() => setDebugVm(true)); // point-of-change assertions on, as with --check

function base(objcg: boolean) {
  return [E.machine(1000, objcg ? MACHINE_OBJCG : 0), E.memcgCreate(2, ROOT_MEMCG, 'system.slice'), E.memcgCreate(3, 2, 'job@1.service')];
}

function listIds(s: ReturnType<typeof applyAll>, memcg: number, lru: number): number[] {
  const out: number[] = [];
  for (let f = lruvecOf(s.memcgs.get(memcg)!, 0).lists[lru].head; f; f = f.next) out.push(f.id);
  return out;
}

describe('evolve: charging', () => {
  it('charges the page counter of the memcg and every ancestor, and pins the memcg in legacy', () => {
    const s = applyAll([...base(false), E.charge(1, 3, FOLIO_FILE, key(0)), E.charge(2, 3, FOLIO_MAPPED, 0)]);
    expect(s.memcgs.get(3)!.memory).toBe(2);
    expect(s.memcgs.get(2)!.memory).toBe(2);
    expect(s.memcgs.get(ROOT_MEMCG)!.memory).toBe(2);
    expect(s.memcgs.get(3)!.cssRefs).toBe(3); // online ref + two folios
    expect(s.memcgs.get(3)!.stat[Stat.file]).toBe(1);
    expect(s.memcgs.get(3)!.stat[Stat.anon]).toBe(1);
    expect(listIds(s, 3, LRU_INACTIVE_FILE)).toEqual([1]);
    expect(listIds(s, 3, LRU_INACTIVE_ANON)).toEqual([2]);
    expect(s.pageCache.get(key(0))).toBe(1);
    expect(checkInvariants(s)).toEqual([]);
  });

  it('charges through the objcg with the fix: the folio does not pin the memcg', () => {
    const s = applyAll([...base(true), E.charge(1, 3, FOLIO_FILE, key(0))]);
    expect(s.memcgs.get(3)!.cssRefs).toBe(1);
    const objcg = s.objcgs.get(s.memcgs.get(3)!.nodeinfo[0].objcg)!;
    expect(objcg.nrFile).toBe(1);
    expect(s.folios.get(1)!.owner).toBe(objcg.id);
    expect(checkInvariants(s)).toEqual([]);
  });

  it('refuses to cache the same page twice and to charge an offline memcg', () => {
    expect(() => applyAll([...base(false), E.charge(1, 3, FOLIO_FILE, key(0)), E.charge(2, 3, FOLIO_FILE, key(0))])).toThrow(EvolveError);
    expect(() => applyAll([...base(false), E.memcgOffline(3), E.charge(1, 3, FOLIO_FILE, key(0))])).toThrow(/not online/);
  });
});

describe('evolve: classic LRU moves', () => {
  it('activate moves to the active head and clears PG_referenced; deactivate sets PG_workingset', () => {
    const s = applyAll([
      ...base(false),
      E.charge(1, 3, FOLIO_FILE, key(0)),
      E.charge(2, 3, FOLIO_FILE, key(1)),
      E.access(1),
      E.activate(1),
    ]);
    const f = s.folios.get(1)!;
    expect(f.active && !f.referenced).toBe(true);
    expect(listIds(s, 3, LRU_ACTIVE_FILE)).toEqual([1]);
    expect(lruvecOf(s.memcgs.get(3)!, 0).size[LRU_ACTIVE_FILE]).toBe(1);
    expect(s.memcgs.get(3)!.stat[Stat.pgactivate]).toBe(1);
    applyAll([E.deactivate(1)], s);
    expect(f.active).toBe(false);
    expect(f.workingset).toBe(true);
    expect(listIds(s, 3, LRU_INACTIVE_FILE)).toEqual([1, 2]); // to the inactive head
    expect(checkInvariants(s)).toEqual([]);
  });

  it('evict leaves a shadow naming the reclaim target and ages its nonresident_age', () => {
    const s = applyAll([...base(false), E.charge(1, 3, FOLIO_FILE, key(0)), E.evict(1, ROOT_MEMCG, 3)]);
    expect(s.folios.size).toBe(0);
    expect(s.shadows.get(key(0))).toEqual({ eviction: 0, memcg: ROOT_MEMCG, nid: 0, workingset: false, refs: 0 });
    expect(lruvecOf(s.memcgs.get(ROOT_MEMCG)!, 0).nonresidentAge).toBe(1);
    expect(s.memcgs.get(3)!.stat[Stat.pgsteal]).toBe(1);
    expect(s.memcgs.get(3)!.memory).toBe(0);
  });
});

describe('evolve: memcg lifecycle', () => {
  it('legacy: offline leaves folios pinning the memcg; it is freed only after the last one goes', () => {
    const s = applyAll([...base(false), E.charge(1, 3, FOLIO_FILE, key(0)), E.memcgOffline(3), E.objcgReparent(3, 2)]);
    expect(s.memcgs.get(3)!.state).toBe(MEMCG_DYING);
    expect(s.memcgs.get(ROOT_MEMCG)!.nrDyingDescendants).toBe(1);
    expect(s.memcgs.get(2)!.nrDyingDescendants).toBe(1);
    expect(() => applyAll([E.memcgFree(3)], s)).toThrow(/css refs/);
    applyAll([E.evict(1, ROOT_MEMCG, 3), E.objcgRelease(1 + 1), E.memcgFree(3)], s);
    expect(s.memcgs.has(3)).toBe(false);
    expect(s.memcgs.get(ROOT_MEMCG)!.nrDyingDescendants).toBe(0);
    expect(s.memcgs.get(2)!.stat[Stat.pgsteal]).toBe(1); // folded into the parent
    expect(checkInvariants(s)).toEqual([]);
  });

  it('reparent: lists go to the tail of the parent, sizes move, the parent total does not change', () => {
    const s = applyAll([
      ...base(true),
      E.charge(1, 2, FOLIO_FILE, key(9)),
      E.charge(2, 3, FOLIO_FILE, key(0)),
      E.charge(3, 3, FOLIO_FILE, key(1)),
    ]);
    const before = s.memcgs.get(2)!.memory;
    applyAll(
      [E.memcgOffline(3), E.reparentLocks(3, 2), E.splice(3, 2, LRU_INACTIVE_FILE), E.objcgReparent(3, 2), E.reparentUnlocks(3, 2)],
      s,
    );
    expect(listIds(s, 2, LRU_INACTIVE_FILE)).toEqual([1, 3, 2]);
    expect(lruvecOf(s.memcgs.get(2)!, 0).size[LRU_INACTIVE_FILE]).toBe(3);
    expect(lruvecOf(s.memcgs.get(3)!, 0).size[LRU_INACTIVE_FILE]).toBe(0);
    expect(s.memcgs.get(2)!.memory).toBe(before);
    expect(s.memcgs.get(3)!.cssRefs).toBe(0);
    expect(checkInvariants(s)).toEqual([]);
    applyAll([E.memcgFree(3)], s);
    expect(s.memcgs.has(3)).toBe(false);
    expect(s.objcgs.get(2)!.memcg).toBe(2); // objcg of job@1 now points at the parent
    expect(checkInvariants(s)).toEqual([]);
  });

  it('the lock invariant catches folios moved without both lruvec locks held', () => {
    const s = applyAll([...base(true), E.charge(1, 3, FOLIO_FILE, key(0)), E.memcgOffline(3), E.objcgReparent(3, 2)]);
    expect(checkInvariants(s).map((v) => v.invariant)).toContain('folio_memcg==lruvec_memcg');
  });

  it("double death: a dead child's objcg moves again when its parent dies", () => {
    const s = applyAll([
      ...base(true),
      E.memcgCreate(4, 3, 'leaf'),
      E.charge(1, 4, FOLIO_FILE, key(0)),
      E.memcgOffline(4),
      E.reparentLocks(4, 3),
      E.splice(4, 3, LRU_INACTIVE_FILE),
      E.objcgReparent(4, 3),
      E.reparentUnlocks(4, 3),
      E.memcgFree(4),
      E.memcgOffline(3),
      E.reparentLocks(3, 2),
      E.splice(3, 2, LRU_INACTIVE_FILE),
      E.objcgReparent(3, 2),
      E.reparentUnlocks(3, 2),
      E.memcgFree(3),
    ]);
    expect(s.memcgs.get(2)!.nodeinfo[0].objcgList.length).toBe(2);
    expect(s.folios.get(1) && s.objcgs.get(s.folios.get(1)!.owner)!.memcg).toBe(2);
    expect(s.memcgs.has(3) || s.memcgs.has(4)).toBe(false);
    expect(checkInvariants(s)).toEqual([]);
    // evict names the owner at that moment: the ancestor the objcg now points at, not the charger
    expect(() => applyAll([E.evict(1, ROOT_MEMCG, 4)], s)).toThrow(/charged to memcg 2, not 4/);
    applyAll([E.evict(1, ROOT_MEMCG, 2)], s);
    expect(s.folios.has(1)).toBe(false);
  });

  it('evict: an owner of 0 (logs from before it was recorded) is accepted; a wrong one is refused', () => {
    const s = applyAll([...base(false), E.charge(1, 3, FOLIO_FILE, key(0)), E.charge(2, 3, FOLIO_FILE, key(1))]);
    expect(() => applyAll([E.evict(1, ROOT_MEMCG, 2)], s)).toThrow(/charged to memcg 3, not 2/);
    applyAll([E.evict(1, ROOT_MEMCG, 0), E.evict(2, ROOT_MEMCG, 3)], s);
    expect(s.folios.size).toBe(0);
  });

  it('rmdir is refused while tasks are attached', () => {
    expect(() => applyAll([...base(false), E.jobStart(3, 1), E.memcgOffline(3)])).toThrow(/EBUSY/);
  });

  it('rejects out-of-order seqs and ticks going back', () => {
    const s = applyAll(base(false));
    const skip = E.cycle(1);
    skip.seq = s.seq + 2;
    expect(() => evolve(s, skip)).toThrow(/expected seq/);
    const back = E.cycle(1);
    back.seq = s.seq + 1;
    back.tick = s.tick - 1;
    expect(() => evolve(s, back)).toThrow(/tick went back/);
  });
});
