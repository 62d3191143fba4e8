import { describe, expect, it } from 'vitest';
import { ROOT_MEMCG } from '../../src/kernel/constants.js';
import { E, EVENT_NAMES, type Event, MACHINE_INTERLEAVE, MACHINE_MGLRU, MACHINE_OBJCG, RECLAIMER_KSWAPD } from '../../src/kernel/events.js';
import { folioLruvec, lruvecOf, nidOf, withNid } from '../../src/kernel/node.js';
import { SPLICE_NID_UNIT } from '../../src/kernel/reparent.js';
import { deserializeState, serializeState, stateHash } from '../../src/kernel/serialize.js';
import { pageCacheKey } from '../../src/kernel/state.js';
import { nodePages, WMARK_LOW, watermarks, zoneFreePages } from '../../src/kernel/watermark.js';
import { mkdir, rmdir } from '../../src/policy/cgroup.js';
import { faultAnon, readPage } from '../../src/policy/pagecache.js';
import { getPolicy } from '../../src/policy/policies.js';
import { balancePgdat } from '../../src/policy/vmscan/kswapd.js';
import { applyAll, TestCtx } from '../helpers.js';

// Issue 12: NUMA nodes. Placement, per-node watermarks and kswapd, node-by-node reparenting
// (7.1 memcg_reparent_objcgs: for_each_node { locks; splice; __memcg_reparent_objcgs; unlocks }),
// per-node objcgs (01b9da291c49), and the log encoding that keeps one-node logs as they were.

function machine(nodes: number, memoryPages: number, opts: { mglru?: boolean; interleave?: boolean; policy?: string } = {}): TestCtx {
  const ctx = new TestCtx(getPolicy(opts.policy ?? 'reparent', 'same-gen'));
  const flags =
    (ctx.policy.objcgCharging ? MACHINE_OBJCG : 0) | (opts.mglru ? MACHINE_MGLRU : 0) | (opts.interleave ? MACHINE_INTERLEAVE : 0);
  ctx.emit(E.machine(memoryPages, withNid(flags, nodes - 1)));
  return ctx;
}

describe('nodes: the machine, placement and watermarks', () => {
  it('the machine event makes the nodes: each memcg gets a lruvec and an objcg per node, memory split evenly', () => {
    const ctx = machine(2, 1001);
    expect(ctx.s.nodes.map((n) => n.nid)).toEqual([0, 1]);
    expect([nodePages(ctx.s, 0), nodePages(ctx.s, 1)]).toEqual([501, 500]);
    const cg = mkdir(ctx, ROOT_MEMCG, 'a');
    const m = ctx.s.memcgs.get(cg)!;
    expect(m.nodeinfo.length).toBe(2);
    const objcgs = m.nodeinfo.map((pn) => pn.objcg);
    expect(new Set(objcgs).size).toBe(2); // one objcg per node (7.1)
    for (const o of objcgs) expect(ctx.s.objcgs.get(o)!.memcg).toBe(cg);
    // each node's min watermark is its share of min_free_kbytes
    const [min0] = watermarks(ctx.s, 0);
    expect(min0).toBeLessThan(watermarks({ ...ctx.s, nodes: [ctx.s.nodes[0]] } as typeof ctx.s)[0]);
  });

  it("local placement: a job's folios go to its home node (memcg id mod nodes), charged to that node's objcg", () => {
    const ctx = machine(2, 4000);
    const a = mkdir(ctx, ROOT_MEMCG, 'a');
    const b = mkdir(ctx, ROOT_MEMCG, 'b');
    const fa = faultAnon(ctx, a);
    const fb = faultAnon(ctx, b);
    readPage(ctx, a, pageCacheKey(1, 0));
    const nidA = a % 2;
    expect(ctx.s.folios.get(fa)!.nid).toBe(nidA);
    expect(ctx.s.folios.get(fb)!.nid).toBe(b % 2);
    const f = ctx.s.folios.get(fa)!;
    expect(f.owner).toBe(ctx.s.memcgs.get(a)!.nodeinfo[nidA].objcg);
    expect(folioLruvec(ctx.s, f)).toBe(lruvecOf(ctx.s.memcgs.get(a)!, nidA));
    // the charge event carries the node; one node's logs have 0 there
    const charges = ctx.log.filter((e) => EVENT_NAMES[e.type] === 'charge');
    expect(charges.map((e) => nidOf(e.a))).toEqual([nidA, b % 2, nidA]);
  });

  it('interleave: pages go round-robin over the nodes by folio id', () => {
    const ctx = machine(2, 4000, { interleave: true });
    const a = mkdir(ctx, ROOT_MEMCG, 'a');
    const ids = [1, 2, 3, 4, 5, 6].map(() => faultAnon(ctx, a));
    expect(ids.map((id) => ctx.s.folios.get(id)!.nid)).toEqual(ids.map((id) => id % 2));
    expect(ctx.s.nodes.map((n) => n.nrFolios)).toEqual([3, 3]);
  });

  it('a node at its low watermark: the allocation falls back along the zonelist to the other node', () => {
    const ctx = machine(2, 400);
    const a = mkdir(ctx, ROOT_MEMCG, 'a'); // home node a % 2
    const home = a % 2;
    while (zoneFreePages(ctx.s, home) > watermarks(ctx.s, home)[WMARK_LOW]) faultAnon(ctx, a);
    expect(ctx.s.nodes[1 - home].nrFolios).toBe(0);
    const f = faultAnon(ctx, a); // no swap: the home node cannot reclaim anon, the other node has room
    expect(ctx.s.folios.get(f)!.nid).toBe(1 - home);
  });
});

describe('nodes: kswapd per node', () => {
  it("kswapd of each node reclaims only its own node's folios; the fast path falls back to the other node before any kswapd wakes", () => {
    const ctx = machine(2, 400, { mglru: true });
    const a = mkdir(ctx, ROOT_MEMCG, 'a');
    const home = a % 2;
    let k = 0;
    while (ctx.log.filter((e) => EVENT_NAMES[e.type] === 'kswapd_sleep').length < 4 && k < 2000) readPage(ctx, a, pageCacheKey(1, k++));
    const nidOfFolio = new Map<number, number>();
    let firstWake = -1;
    let otherNodeCharged = -1;
    ctx.log.forEach((e, i) => {
      const n = EVENT_NAMES[e.type];
      if (n === 'charge') {
        nidOfFolio.set(e.folio, nidOf(e.a));
        if (nidOf(e.a) !== home && otherNodeCharged < 0) otherNodeCharged = i;
      }
      if (n === 'kswapd_wake' && firstWake < 0) firstWake = i;
    });
    expect(otherNodeCharged).toBeGreaterThan(0);
    expect(firstWake).toBeGreaterThan(otherNodeCharged); // get_page_from_freelist tried the zonelist first
    // every folio kswapd evicted is on the node of the kswapd that was running (its next kswapd_sleep)
    let checked = 0;
    ctx.log.forEach((e, i) => {
      if (EVENT_NAMES[e.type] !== 'evict' || e.a !== RECLAIMER_KSWAPD) return;
      const sleep = ctx.log.slice(i).find((x) => EVENT_NAMES[x.type] === 'kswapd_sleep')!;
      expect(nidOfFolio.get(e.folio)).toBe(sleep.a);
      checked++;
    });
    expect(checked).toBeGreaterThan(0);
    const wakes = new Set(ctx.log.filter((e) => EVENT_NAMES[e.type] === 'kswapd_wake').map((e) => e.a));
    expect(wakes).toEqual(new Set([0, 1]));
    for (const nid of [0, 1]) expect(ctx.s.nodes[nid].kswapdAwake).toBe(false);
  });

  it('balance_pgdat of a balanced node reclaims nothing there and leaves the other node alone', () => {
    const ctx = machine(2, 400, { mglru: true, interleave: true });
    const a = mkdir(ctx, ROOT_MEMCG, 'a');
    for (let k = 0; k < 120; k++) readPage(ctx, a, pageCacheKey(1, k));
    const before = ctx.s.nodes.map((n) => n.nrFolios);
    ctx.emit(E.kswapdWake(0));
    balancePgdat(ctx, 0);
    expect(ctx.s.nodes[1].nrFolios).toBe(before[1]);
  });
});

describe('nodes: reparenting node by node (7.1)', () => {
  for (const mglru of [false, true]) {
    it(`${mglru ? 'MGLRU' : 'classic'}: locks, splices and objcg_reparent of node 0, unlock, then node 1; folios stay on their node`, () => {
      const ctx = machine(2, 4000, { mglru, interleave: true });
      const p = mkdir(ctx, ROOT_MEMCG, 'p');
      const c = mkdir(ctx, p, 'c');
      for (let k = 0; k < 10; k++) readPage(ctx, c, pageCacheKey(1, k));
      const objcgs = ctx.s.memcgs.get(c)!.nodeinfo.map((pn) => pn.objcg);
      const from = ctx.log.length;
      rmdir(ctx, c);
      const tail = ctx.log.slice(from);
      const lockOps = tail.filter((e) => ['reparent_locks', 'reparent_unlocks', 'objcg_reparent', 'splice'].includes(EVENT_NAMES[e.type]));
      const nodeOf = (e: Event) => {
        const n = EVENT_NAMES[e.type];
        if (n === 'objcg_reparent') return e.b;
        if (n === 'reparent_locks') return nidOf(e.b);
        if (n === 'reparent_unlocks') return nidOf(e.b);
        return Math.floor(e.b / SPLICE_NID_UNIT);
      };
      // the node sequence is 0…0 then 1…1, and each node's block is locks … objcg_reparent, unlocks
      const seq = lockOps.map(nodeOf);
      expect(seq).toEqual([...seq].sort());
      for (const nid of [0, 1]) {
        const block = lockOps.filter((e) => nodeOf(e) === nid).map((e) => EVENT_NAMES[e.type]);
        expect(block[0]).toBe('reparent_locks');
        expect(block.at(-2)).toBe('objcg_reparent');
        expect(block.at(-1)).toBe('reparent_unlocks');
        expect(block).toContain('splice');
      }
      // no locks held across nodes
      const lockIdx = tail.findIndex((e) => EVENT_NAMES[e.type] === 'reparent_locks' && nidOf(e.b) === 1);
      const unlock0 = tail.findIndex((e) => EVENT_NAMES[e.type] === 'reparent_unlocks' && nidOf(e.b) === 0 && !(e.b & 1));
      expect(unlock0).toBeLessThan(lockIdx);
      // every folio is now the parent's, on the parent's lruvec of its own node
      const parent = ctx.s.memcgs.get(p)!;
      for (const f of ctx.s.folios.values()) expect(folioLruvec(ctx.s, f)).toBe(lruvecOf(parent, f.nid));
      expect(ctx.s.memcgs.has(c)).toBe(false);
      // the child's node objcgs (still charged) moved to the parent's list of the same node
      objcgs.forEach((o, nid) => {
        expect(parent.nodeinfo[nid].objcgList).toContain(o);
        expect(parent.nodeinfo[1 - nid].objcgList).not.toContain(o);
        expect(ctx.s.objcgs.get(o)!.memcg).toBe(p);
      });
    });
  }
});

describe('nodes: the log and the snapshot', () => {
  it('a state of one node is written as format 7 (unchanged); two nodes as format 8, which round-trips', () => {
    const one = machine(1, 4000, { mglru: true });
    readPage(one, mkdir(one, ROOT_MEMCG, 'a'), pageCacheKey(1, 0));
    expect(serializeState(one.s)[0]).toBe(7);
    const two = machine(2, 4000, { mglru: true, interleave: true });
    const a = mkdir(two, ROOT_MEMCG, 'a');
    for (let k = 0; k < 6; k++) readPage(two, a, pageCacheKey(1, k));
    const buf = serializeState(two.s);
    expect(buf[0]).toBe(8);
    const back = deserializeState(buf);
    expect(stateHash(back)).toBe(stateHash(two.s));
    expect([...back.folios.values()].map((f) => f.nid)).toEqual([...two.s.folios.values()].map((f) => f.nid));
    expect(back.interleave).toBe(true);
    // replay from the log gives the same state
    expect(stateHash(applyAll(two.log.map((e) => ({ ...e }))))).toBe(stateHash(two.s));
  });

  it('a memcg-level event naming a node that does not exist is refused', () => {
    const ctx = machine(2, 4000, { mglru: true });
    const a = mkdir(ctx, ROOT_MEMCG, 'a');
    expect(() => ctx.emit(E.age(a, withNid(3, 2)))).toThrow(/no node 2/);
  });
});
