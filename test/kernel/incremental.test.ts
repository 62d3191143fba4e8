import { describe, expect, it } from 'vitest';
import { MAX_NR_GENS, ROOT_MEMCG } from '../../src/kernel/constants.js';
import { setDebugVm } from '../../src/kernel/debug.js';
import { E, type Event, FOLIO_FILE, MACHINE_MGLRU, MACHINE_OBJCG, SYSCTL_SWAP_PAGES } from '../../src/kernel/events.js';
import { evolve } from '../../src/kernel/evolve.js';
import { IncrementalChecker } from '../../src/kernel/invariants/incremental.js';
import { checkInvariants, type Violation } from '../../src/kernel/invariants.js';
import { folioType } from '../../src/kernel/lru_gen.js';
import { lruGenIndex } from '../../src/kernel/mmzone.js';
import { lruvecOf } from '../../src/kernel/node.js';
import { Stat } from '../../src/kernel/stat.js';
import { type Folio, type KernelState, pageCacheKey } from '../../src/kernel/state.js';
import { mkdir, rmdir } from '../../src/policy/cgroup.js';
import { faultAnon, readPage } from '../../src/policy/pagecache.js';
import { getPolicy } from '../../src/policy/policies.js';
import { TestCtx } from '../helpers.js';

// Each incremental check against the full one: a real state, one field of it damaged the way a
// bug in evolve would damage it (a counter, a link, a field the tallies count), then an event
// that touches what was damaged. The incremental checker must name the invariant the full check
// names first — and find nothing when nothing was damaged.

type Setup = 'classic' | 'mglru' | 'legacy';

/** /system.slice (2) with job@1 (3: 6 file pages, 3 anon) and job@2 (4, removed: its objcg is dead, its 4 pages on the parent). */
function build(kind: Setup): TestCtx {
  const ctx = new TestCtx(getPolicy(kind === 'legacy' ? 'legacy' : 'reparent', 'same-gen'));
  ctx.emit(E.machine(4096, (kind === 'legacy' ? 0 : MACHINE_OBJCG) | (kind === 'mglru' ? MACHINE_MGLRU : 0)));
  ctx.emit(E.sysctl(SYSCTL_SWAP_PAGES, 64));
  mkdir(ctx, ROOT_MEMCG, 'system.slice');
  mkdir(ctx, 2, 'job@1.service');
  mkdir(ctx, 2, 'job@2.service');
  for (let i = 0; i < 4; i++) readPage(ctx, 4, pageCacheKey(9, i));
  rmdir(ctx, 4);
  for (let i = 0; i < 6; i++) readPage(ctx, 3, pageCacheKey(1, i));
  for (let i = 0; i < 3; i++) faultAnon(ctx, 3);
  return ctx;
}

/** The folios of memcg 3, file first, in list order. */
function folios(s: KernelState, anon = false): Folio[] {
  return [...s.folios.values()].filter((f) => f.file !== anon && (s.objcgCharging ? s.objcgs.get(f.owner)!.memcg : f.owner) === 3);
}

/** A file folio of memcg 3 with neighbours on both sides. */
function middle(s: KernelState): Folio {
  return folios(s).find((f) => f.prev && f.next)!;
}

/**
 * The checker built from the state, the state damaged, then one event applied and both checkers
 * run (DEBUG_VM off, as in a verify).
 */
function check(
  s: KernelState,
  damage: (s: KernelState) => void,
  event: (s: KernelState) => Event,
): { inc: Violation[]; full: Violation[] } {
  const inc = new IncrementalChecker(s);
  const e = event(s); // what the event touches is picked before the damage moves it
  damage(s);
  e.seq = s.seq + 1;
  e.tick = s.tick;
  setDebugVm(false);
  try {
    inc.before(e);
    evolve(s, e);
    return { inc: inc.after(e), full: checkInvariants(s) };
  } finally {
    setDebugVm(true);
  }
}

interface Case {
  invariant: string;
  setup: Setup;
  damage: (s: KernelState) => void;
  event: (s: KernelState) => Event;
  /** what was damaged, for the test's name */
  what: string;
}

const access = (s: KernelState) => E.access(middle(s).id);
const charge = (s: KernelState) => E.charge(s.nextFolio, 3, FOLIO_FILE, pageCacheKey(7, s.nextFolio));

const CASES: Case[] = [
  {
    what: "a lruvec's nr_pages of a folio's gen, then an access to it",
    invariant: 'nr_pages',
    setup: 'mglru',
    damage: (s) => {
      const f = middle(s);
      lruvecOf(s.memcgs.get(3)!, 0).lrugen.nrPages[lruGenIndex(f.gen, folioType(f))]--;
    },
    event: access,
  },
  {
    what: "a folio's prev link, then an access to it",
    invariant: 'list-links',
    setup: 'classic',
    damage: (s) => {
      const f = middle(s);
      f.prev = f.next;
    },
    event: access,
  },
  {
    what: "a memcg's memory.current, then an uncharge of one of its folios",
    invariant: 'hierarchical-charge',
    setup: 'classic',
    damage: (s) => {
      s.memcgs.get(3)!.memory++;
    },
    event: (s) => E.uncharge(folios(s, true)[0].id),
  },
  {
    what: "a folio's owner re-pointed to a dead objcg (its memcg is the parent), then an access to it",
    invariant: 'folio_memcg==lruvec_memcg',
    setup: 'classic',
    damage: (s) => {
      middle(s).owner = [...s.objcgs.values()].find((o) => o.dead)!.id;
    },
    event: access,
  },
  {
    what: "a folio's owner re-pointed to a dead objcg, then an access to it",
    invariant: 'folio_memcg==lruvec_memcg',
    setup: 'mglru',
    damage: (s) => {
      middle(s).owner = [...s.objcgs.values()].find((o) => o.dead)!.id;
    },
    event: access,
  },
  {
    what: "a folio's owner re-pointed to a missing objcg, then an access to it",
    invariant: 'owner',
    setup: 'mglru',
    damage: (s) => {
      middle(s).owner = 99_999;
    },
    event: access,
  },
  {
    what: "a folio's owner (legacy: a memcg) re-pointed to a freed memcg, then an access to it",
    invariant: 'freed-owns-nothing',
    setup: 'legacy',
    damage: (s) => {
      middle(s).owner = 999;
    },
    event: access,
  },
  {
    what: "a folio's page-cache key, then an access to it",
    invariant: 'page-cache',
    setup: 'classic',
    damage: (s) => {
      middle(s).key = pageCacheKey(5, 5);
    },
    event: access,
  },
  {
    what: 'the count of a list, then an access to a folio on it',
    invariant: 'list-count',
    setup: 'classic',
    damage: (s) => {
      lruvecOf(s.memcgs.get(3)!, 0).lists[middle(s).list].count++;
    },
    event: access,
  },
  {
    what: "a folio's PG_active without moving it, then an access to it",
    invariant: 'list-flags',
    setup: 'classic',
    damage: (s) => {
      middle(s).active = !middle(s).active;
    },
    event: access,
  },
  {
    what: 'the lru_zone_size of a list, then an access to a folio on it',
    invariant: 'lru-size',
    setup: 'classic',
    damage: (s) => {
      lruvecOf(s.memcgs.get(3)!, 0).size[middle(s).list]++;
    },
    event: access,
  },
  {
    what: 'max_seq pushed past MAX_NR_GENS, then a charge into the lruvec',
    invariant: 'nr_gens',
    setup: 'mglru',
    damage: (s) => {
      lruvecOf(s.memcgs.get(3)!, 0).lrugen.maxSeq += 3;
    },
    event: charge,
  },
  {
    what: "a folio's flags gen moved outside the window, then an access to it",
    invariant: 'gen-window',
    setup: 'mglru',
    damage: (s) => {
      middle(s).gen = MAX_NR_GENS + 1;
    },
    event: access,
  },
  {
    what: 'an active/inactive counter of an MGLRU lruvec, then a charge into it',
    invariant: 'active-inactive',
    setup: 'mglru',
    damage: (s) => {
      lruvecOf(s.memcgs.get(3)!, 0).size[1]++;
    },
    event: charge,
  },
  {
    what: 'nr_memcgs of the memcg LRU, then a mkdir',
    invariant: 'memcg-lru',
    setup: 'mglru',
    damage: (s) => {
      s.nodes[0].memcgLru.nrMemcgs[0]++;
    },
    event: (s) => E.memcgCreate(s.nextMemcg, 2, 'job@3.service'),
  },
  {
    what: 'the machine-wide stock total, then a refill of a stock',
    invariant: 'charge-stock',
    setup: 'classic',
    damage: (s) => {
      s.stockPages++;
    },
    event: () => E.memcgStock(3, 1),
  },
  {
    what: "a memcg's local file size, then a charge into it",
    invariant: 'local-size',
    setup: 'classic',
    damage: (s) => {
      s.memcgs.get(3)!.stat[Stat.file]++;
    },
    event: charge,
  },
  {
    what: "a memcg's css refs (legacy: one per folio), then a charge into it",
    invariant: 'css-refs',
    setup: 'legacy',
    damage: (s) => {
      s.memcgs.get(3)!.cssRefs++;
    },
    event: charge,
  },
  {
    what: "a parent's nr_descendants, then a mkdir under it",
    invariant: 'cgroup.stat',
    setup: 'classic',
    damage: (s) => {
      s.memcgs.get(2)!.nrDescendants++;
    },
    event: (s) => E.memcgCreate(s.nextMemcg, 2, 'job@3.service'),
  },
  {
    what: "an objcg's file charge, then a charge through it",
    invariant: 'objcg-charge',
    setup: 'classic',
    damage: (s) => {
      s.objcgs.get(s.memcgs.get(3)!.nodeinfo[0].objcg)!.nrFile++;
    },
    event: charge,
  },
  {
    what: "a memcg's memory.swap.current, then a swap-out of its anon folio",
    invariant: 'swap-charge',
    setup: 'classic',
    damage: (s) => {
      s.memcgs.get(3)!.swap++;
    },
    event: (s) => E.swapOut(folios(s, true)[0].id, 3),
  },
  {
    what: 'PG_swapcache on an anon folio without a swap entry, then an access to it',
    invariant: 'swapcache',
    setup: 'mglru',
    damage: (s) => {
      folios(s, true)[1].swapcache = true;
    },
    event: (s) => E.access(folios(s, true)[1].id),
  },
  {
    what: 'PG_dirty on an anon folio, then an access to it',
    invariant: 'dirty',
    setup: 'classic',
    damage: (s) => {
      folios(s, true)[1].dirty = true;
    },
    event: (s) => E.access(folios(s, true)[1].id),
  },
  {
    what: "a node's folio count, then a charge on it",
    invariant: 'node-folios',
    setup: 'classic',
    damage: (s) => {
      s.nodes[0].nrFolios++;
    },
    event: charge,
  },
  {
    what: 'a dereference of a freed memcg recorded, then any event',
    invariant: 'use-after-free',
    setup: 'classic',
    damage: (s) => {
      s.freedReads.push({ seq: s.seq, memcg: 4, folio: 1 });
    },
    event: () => E.cycle(1),
  },
];

describe('the incremental checker names what the full check names, one damaged field at a time', () => {
  for (const c of CASES) {
    it(`${c.invariant}: ${c.what} (${c.setup})`, () => {
      const clean = check(build(c.setup).s, () => {}, c.event);
      expect(clean).toEqual({ inc: [], full: [] });
      const { inc, full } = check(build(c.setup).s, c.damage, c.event);
      expect(full[0]?.invariant, 'the damage must break the invariant').toBe(c.invariant);
      expect(inc[0]?.invariant, JSON.stringify(inc.slice(0, 3))).toBe(c.invariant);
      const names = new Set(full.map((v) => v.invariant));
      for (const v of inc) expect(names, `${v.invariant}: ${v.detail}`).toContain(v.invariant);
    });
  }

  it('a clean history checks clean after every event, through reparents, frees and objcg releases', () => {
    for (const kind of ['classic', 'mglru', 'legacy'] as const) {
      const ctx = build(kind);
      const s = new TestCtx().s; // replay the log into a fresh state with the checker after every event
      const inc = new IncrementalChecker(s);
      for (const e of ctx.log) {
        inc.before(e);
        evolve(s, e);
        expect(inc.after(e), `${kind} seq ${e.seq}`).toEqual([]);
      }
    }
  });
});
