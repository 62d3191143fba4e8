import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LRU_GEN_FILE, LRU_INACTIVE_FILE, MAX_NR_GENS } from '../../src/kernel/constants.js';
import { DEBUG_VM, setDebugVm, VmWarning } from '../../src/kernel/debug.js';
import { listAdd, listDel } from '../../src/kernel/list.js';
import { lruvecAddFolio, lruvecDelFolio } from '../../src/kernel/lru.js';
import { lruGenAddFolio, lruGenDelFolio, lruGenFromSeq, lruGenUpdateSize } from '../../src/kernel/lru_gen.js';
import { createState, type Folio, newList, newLruvec } from '../../src/kernel/state.js';
import { Simulation } from '../../src/lab/simulation.js';
import { getPolicy } from '../../src/policy/policies.js';

function folio(id: number, file = true): Folio {
  return {
    id,
    nid: 0,
    file,
    shmem: false,
    key: id,
    owner: 1,
    active: false,
    referenced: false,
    workingset: false,
    mapped: false,
    young: false,
    dirty: false,
    writeback: false,
    reclaim: false,
    swapcache: false,
    gen: -1,
    refs: 0,
    list: -1,
    lastAccess: 0,
    prev: null,
    next: null,
  };
}

describe('point-of-change assertions (CONFIG_DEBUG_VM / CONFIG_DEBUG_LIST)', () => {
  beforeEach(() => setDebugVm(true));
  afterEach(() => setDebugVm(false));

  it('are off by default: one module-level switch', () => {
    setDebugVm(false);
    expect(DEBUG_VM.on).toBe(false);
    const l = newList();
    const f = folio(1);
    listAdd(l, f);
    expect(() => listAdd(l, f)).not.toThrow(); // corrupts silently; the invariant check would find it later
  });

  it('the runner turns them on with invariant checks (--check)', () => {
    setDebugVm(false);
    new Simulation(getPolicy('legacy'), 1, () => {}, { checkInvariants: false });
    expect(DEBUG_VM.on).toBe(false);
    new Simulation(getPolicy('legacy'), 1, () => {}, { checkInvariants: true });
    expect(DEBUG_VM.on).toBe(true);
  });

  it('lru_gen_update_size: demoting active → inactive without isolation warns', () => {
    const lv = newLruvec();
    const g = lv.lrugen;
    const young = lruGenFromSeq(g.maxSeq);
    const old = lruGenFromSeq(g.minSeq[LRU_GEN_FILE]);
    lruGenUpdateSize(lv, LRU_GEN_FILE, -1, young);
    expect(() => lruGenUpdateSize(lv, LRU_GEN_FILE, young, old)).toThrow(/demotes active to inactive/);
    lruGenUpdateSize(lv, LRU_GEN_FILE, -1, old);
    lruGenUpdateSize(lv, LRU_GEN_FILE, old, young); // promotion is legal
  });

  it('lru_gen_update_size: a size never goes negative', () => {
    const lv = newLruvec();
    expect(() => lruGenUpdateSize(lv, LRU_GEN_FILE, 0, -1)).toThrow(VmWarning);
    expect(() => lruGenUpdateSize(lv, LRU_GEN_FILE, 0, -1)).toThrow(/negative/);
  });

  it('list_add: a folio already linked on a list cannot be added again', () => {
    const a = newList();
    const b = newList();
    const f = folio(1);
    const g = folio(2);
    listAdd(a, f);
    expect(() => listAdd(a, f)).toThrow(/already on a list/); // its list's only entry
    listAdd(a, g);
    expect(() => listAdd(b, f)).toThrow(/already on a list/); // linked to a neighbour
  });

  it('list_del: a folio must be on the list it is deleted from', () => {
    const a = newList();
    const b = newList();
    const f = folio(1);
    listAdd(a, f);
    expect(() => listDel(b, f)).toThrow(/not on this list/);
    expect(() => listDel(newList(), folio(3))).toThrow(/not on this list/);
    listDel(a, f);
    expect(a.count).toBe(0);
  });

  it('lruvec_add_folio: a folio already on an LRU list (PG_lru) is refused', () => {
    const s = createState();
    const lv = newLruvec();
    const f = folio(1);
    lruvecAddFolio(s, lv, f);
    expect(() => lruvecAddFolio(s, newLruvec(), f)).toThrow(/already on LRU list/);
    s.mglru = true;
    expect(() => lruGenAddFolio(newLruvec(), f, false)).toThrow(/already on an MGLRU list/);
  });

  it('lruvec_del_folio: the flags must name the list the folio is on', () => {
    const s = createState();
    const lv = newLruvec();
    const f = folio(1);
    lruvecAddFolio(s, lv, f);
    expect(f.list).toBe(LRU_INACTIVE_FILE);
    f.active = true; // PG_active set without moving it: the delete would decrement the wrong size
    expect(() => lruvecDelFolio(s, lv, f)).toThrow(/its flags say/);
  });

  it('lru_gen_del_folio: only a folio on a gen list of its own type', () => {
    const lv = newLruvec();
    const f = folio(1);
    expect(() => lruGenDelFolio(lv, f, false)).toThrow(/not on an MGLRU list/);
    lruGenAddFolio(lv, f, false);
    expect(f.gen).toBeGreaterThanOrEqual(0);
    expect(f.gen).toBeLessThan(MAX_NR_GENS);
    lruGenDelFolio(lv, f, false);
    expect(lv.lrugen.nrPages.every((n) => n === 0)).toBe(true);
  });
});
