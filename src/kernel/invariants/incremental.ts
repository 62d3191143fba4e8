import type { Event } from '../events.js';
import { checkInvariants } from '../invariants.js';
import { nidOf } from '../node.js';
import type { FolioView, KernelView } from '../state.js';
import { checkCgroupTree } from './charge.js';
import { TOUCH, Touch } from './inc_events.js';
import { checkFolio, checkNeighbour } from './inc_folio.js';
import { created, freed, reparented, spliced, type Touched } from './inc_lifecycle.js';
import { checkLruvec, checkSlot, walkLruvec } from './inc_lruvec.js';
import { checkObjcg, MemcgCounters } from './inc_memcg.js';
import { RANK, type Scope } from './inc_types.js';
import { checkMemcgLru } from './memcg_lru.js';
import { checkBoundedRetries } from './retry.js';
import { checkSplitQueues } from './split_queue.js';
import { checkReclaimIters } from './swap.js';
import { MOVED, NODE_KEY, RECHARGED, Tallies } from './tally.js';
import type { Census, Report, Violation } from './types.js';

const NO_CENSUS: Census = { local: new Map(), objcgPages: new Map(), locked: new Set() };
const NONE: Violation[] = [];

interface Ranked {
  rank: number;
  invariant: string;
  detail: string;
}

/**
 * The kernel invariants checked after each event in O(what it touched) rather than O(state)
 * (checkInvariants): built from a state with one census (the tallies of every folio, the
 * counters of every memcg), then told about each event — `before` it is applied and `after` —
 * it re-counts the folios the event touched, moves their tallies, and checks the invariants of
 * the folio, its lruvec, the memcgs and objcgs whose counters the event changed (inc_events.ts
 * says which). Events that move whole lists walk the lists they moved. Pure and deterministic;
 * it reads the state and never writes it. Reports in the order checkInvariants would.
 */
export class IncrementalChecker {
  private t: Tallies;
  private mc: MemcgCounters;
  private readonly sc: Scope;
  private out: Ranked[] = [];
  // what the event marked, as stacks (cleared by resetting their lengths, not reallocated)
  private readonly lruvecs: number[] = [];
  private nLruvecs = 0;
  private readonly memcgs: number[] = [];
  private nMemcgs = 0;
  private readonly objcgs: number[] = [];
  private nObjcgs = 0;
  private nodesChanged = false;
  /** the event changes what few events change of a memcg: per-node stats, iterators, nodeinfo */
  private memcgsAll = false;
  private queuesChanged = false;
  /** the event's folio as before() found it (null: none) */
  private f: FolioView | null = null;
  private prev: FolioView | null = null;
  private next: FolioView | null = null;
  private readonly reports: Report[];

  constructor(private readonly s: KernelView) {
    this.t = new Tallies(s);
    this.mc = new MemcgCounters(s);
    const bad = (rank: number, invariant: string, detail: string) => void this.out.push({ rank, invariant, detail });
    this.sc = { s, t: this.t, bad, reported: () => this.out.length, locked: (id) => this.locked(id) };
    this.reports = Object.values(RANK).map((rank) => (invariant: string, detail: string) => bad(rank, invariant, detail));
    const self = this;
    this.touched = {
      sc: this.sc,
      get mc() {
        return self.mc;
      },
      lruvec: (memcg: number, nid: number) => this.lruvec(memcg, nid),
      memcg: (id: number) => this.memcg(id),
      memcgUp: (id: number) => this.memcgUp(id),
      objcg: (id: number) => this.objcg(id),
      seen: this.seen,
      lifecycle: () => this.lifecycle(),
    };
  }

  /** What the lifecycle and reparent handlers (inc_lifecycle.ts) mark. */
  private readonly touched: Touched;

  /** Before evolve applies e: where the event's folio sits now, and whether its links hold there. */
  before(e: Event): void {
    this.f = this.prev = this.next = null;
    if (!e.folio) return;
    const f = this.s.folios.get(e.folio);
    if (!f) return;
    this.f = f;
    this.prev = f.prev;
    this.next = f.next;
    if ((f.prev && f.prev.next !== f) || (f.next && f.next.prev !== f)) this.sc.bad(RANK.lists, 'list-links', `folio ${f.id}: broken link`);
  }

  /** After evolve applied e: the invariants of what it touched. Empty when they hold. */
  after(e: Event): Violation[] {
    const s = this.s;
    switch (TOUCH[e.type]) {
      case Touch.none:
        break;
      case Touch.folio:
        // the folio object stays (evolve changes it in place): no second lookup
        this.folio(e.folio, this.f ?? s.folios.get(e.folio));
        break;
      case Touch.life:
        this.folio(e.folio, s.folios.get(e.folio));
        break;
      case Touch.refault: {
        this.memcgsAll = true;
        this.folio(e.folio, s.folios.get(e.folio));
        const f = s.folios.get(e.folio);
        if (f) this.memcg(this.t.memcgOf(f.owner));
        break;
      }
      case Touch.swapOut: {
        this.folio(e.folio, s.folios.get(e.folio));
        const id = s.swapEntries.get(e.folio);
        if (id !== undefined) {
          this.mc.swapOut(e.folio, id);
          this.memcgUp(id);
        }
        if (s.swapEntries.size > s.vm.swapPages)
          this.sc.bad(RANK.swap, 'swap-slots', `${s.swapEntries.size} swap entries on a ${s.vm.swapPages}-page device`);
        break;
      }
      case Touch.swapFree: {
        const id = this.mc.swapFree(e.folio);
        if (id !== undefined) this.memcgUp(id);
        if (s.folios.has(e.folio)) this.folio(e.folio, s.folios.get(e.folio));
        break;
      }
      case Touch.stock:
        this.memcgUp(e.memcg);
        break;
      case Touch.create:
        this.memcgsAll = true;
        created(this.touched, e.memcg);
        break;
      case Touch.offline:
        this.memcgsAll = true;
        this.memcgUp(e.memcg);
        this.lifecycle();
        break;
      case Touch.free:
        this.memcgsAll = true;
        freed(this.touched, e.memcg);
        break;
      case Touch.objcgReparent:
        reparented(this.touched, e.memcg, e.a, e.b);
        break;
      case Touch.objcgRelease:
        checkObjcg(this.sc, e.a);
        this.t.byOwner.drop(e.a);
        this.t.setOwnerMemcg(e.a, undefined);
        break;
      case Touch.splice:
        spliced(this.touched, e);
        break;
      case Touch.unlocks:
        this.memcgsAll = true;
        for (const id of [e.memcg, e.a]) this.rewalk(id);
        break;
      case Touch.age:
        this.rewalk(e.memcg, nidOf(e.a));
        break;
      case Touch.window:
        this.lruvec(e.memcg, nidOf(e.a));
        break;
      case Touch.walkStart:
      case Touch.walkFlush:
        this.memcg(e.memcg);
        this.lruvec(e.memcg, e.a);
        break;
      case Touch.walkForward: {
        const nid = s.walk?.nid ?? 0;
        this.lruvec(e.memcg, nid);
        this.lruvec(e.a, nid);
        break;
      }
      case Touch.memcg:
        this.memcgsAll = true;
        this.memcg(e.memcg);
        break;
      case Touch.memcgLru:
        checkMemcgLru(s, NO_CENSUS, this.reports[RANK.memcgLru]);
        break;
      default:
        return this.full();
    }
    return this.finish();
  }

  /** The whole state checked, and the checker rebuilt from it (the setup events, an unknown event). */
  private full(): Violation[] {
    this.t = this.sc.t = new Tallies(this.s);
    this.mc = new MemcgCounters(this.s);
    this.clear();
    this.out = [];
    return checkInvariants(this.s);
  }

  private locked(id: number): boolean {
    const held = this.s.reparentLocked;
    if (held.size === 0) return false;
    for (const [c, p] of held) if (c === id || p === id) return true;
    return false;
  }

  private lruvec(memcg: number, nid: number): void {
    const k = memcg * NODE_KEY + nid;
    for (let i = 0; i < this.nLruvecs; i++) if (this.lruvecs[i] === k) return;
    this.lruvecs[this.nLruvecs++] = k;
  }

  private memcg(id: number): void {
    if (id < 0) return;
    for (let i = 0; i < this.nMemcgs; i++) if (this.memcgs[i] === id) return;
    this.memcgs[this.nMemcgs++] = id;
  }

  private objcg(id: number): void {
    for (let i = 0; i < this.nObjcgs; i++) if (this.objcgs[i] === id) return;
    this.objcgs[this.nObjcgs++] = id;
  }

  /** A memcg and its ancestors: what a page counter change (memory, swap) reaches. */
  private memcgUp(id: number): void {
    this.memcg(id);
    for (let m = this.s.memcgs.get(id); m?.parent; m = this.s.memcgs.get(m.parent)) this.memcg(m.parent);
  }

  /** Where a folio's contribution was or is: its lruvec, and on a charge change its memcgs, objcg, node. */
  private placed(owner: number, nid: number, changed: number): void {
    const m = this.t.memcgOf(owner);
    if (m >= 0) this.lruvec(m, nid);
    if (!(changed & RECHARGED)) return;
    if (m >= 0) this.memcgUp(m);
    if (this.s.objcgCharging) this.objcg(owner);
    this.nodesChanged = true;
  }

  /** Re-count a folio the event touched (or freed) and check it, its old neighbours, its lruvec. */
  private folio(id: number, f: FolioView | undefined): void {
    const s = this.s;
    const changed = this.t.sync(id, f);
    if (!changed) {
      // touched in place (flags, refs, PTE bits): the folio, and the counters of its list slot
      if (f) {
        const m = checkFolio(this.sc, f, false);
        if (m) checkSlot(this.sc, m, f);
      }
      return;
    }
    this.queuesChanged = true;
    const old = this.t.old;
    if (old) this.placed(old.owner, old.nid, changed);
    if (!f && old && old.key >= 0 && s.pageCache.get(old.key) === id)
      this.sc.bad(RANK.pageCache, 'page-cache', `page-cache key ${old.key} maps to folio ${id}, which is gone`);
    if (f) {
      this.placed(f.owner, f.nid, changed);
      checkFolio(this.sc, f, true);
    }
    if (changed & MOVED) {
      if (this.prev && s.folios.get(this.prev.id) === this.prev) checkNeighbour(this.sc, this.prev);
      if (this.next && s.folios.get(this.next.id) === this.next) checkNeighbour(this.sc, this.next);
    }
  }

  /** A folio a list walk saw: re-counted, and if its charge changed, its memcgs checked. */
  private readonly seen = (f: FolioView): void => {
    const changed = this.t.sync(f.id, f);
    if (!changed) return;
    const old = this.t.old;
    if (old) this.placed(old.owner, old.nid, changed);
    this.placed(f.owner, f.nid, changed);
    this.queuesChanged = true;
  };

  /** Walk a memcg's lruvecs (every node, or one) and re-check its counters. */
  private rewalk(id: number, only?: number): void {
    const m = this.s.memcgs.get(id);
    if (!m) return;
    for (let nid = 0; nid < m.nodeinfo.length; nid++) {
      if (only !== undefined && nid !== only) continue;
      walkLruvec(this.sc, m, nid, this.seen);
      this.lruvec(id, nid);
    }
    this.memcg(id);
  }

  /** The tree-wide invariants a memcg's birth, offline or death changes: cgroup.stat, the memcg LRU, the iterators. */
  private lifecycle(): void {
    checkMemcgLru(this.s, NO_CENSUS, this.reports[RANK.memcgLru]);
    checkCgroupTree(this.s, NO_CENSUS, this.reports[RANK.tree]);
    checkReclaimIters(this.s, NO_CENSUS, this.reports[RANK.iters]);
  }

  /** Check everything the event marked, then the O(1) machine-wide rules. */
  private finish(): Violation[] {
    const { s, sc, t } = this;
    for (let i = 0; i < this.nLruvecs; i++) {
      const k = this.lruvecs[i];
      const m = s.memcgs.get(Math.floor(k / NODE_KEY));
      const nid = k % NODE_KEY;
      if (m && nid < m.nodeinfo.length) checkLruvec(sc, m, nid);
    }
    if (this.nMemcgs) {
      for (let i = 0; i < this.nMemcgs; i++) this.mc.sync(this.memcgs[i], s.memcgs.get(this.memcgs[i]));
      for (let i = 0; i < this.nMemcgs; i++) {
        const m = s.memcgs.get(this.memcgs[i]);
        if (m) this.mc.check(sc, m, this.memcgsAll);
      }
      this.mc.checkStockTotal(sc);
    }
    for (let i = 0; i < this.nObjcgs; i++) checkObjcg(sc, this.objcgs[i]);
    if (this.nodesChanged) {
      for (let nid = 0; nid < s.nodes.length; nid++) {
        if (s.nodes[nid].nrFolios !== t.nodeFolios[nid])
          sc.bad(RANK.nodes, 'node-folios', `node ${nid} counts ${s.nodes[nid].nrFolios} folios but ${t.nodeFolios[nid]} are on it`);
      }
    }
    if (this.queuesChanged) {
      if (s.dirtyQueue.size !== t.dirty) sc.bad(RANK.dirty, 'dirty-queue', `${s.dirtyQueue.size} queued dirty, ${t.dirty} dirty folios`);
      if (s.writebackQueue.size !== t.writeback)
        sc.bad(RANK.dirty, 'writeback-queue', `${s.writebackQueue.size} queued under writeback, ${t.writeback} folios`);
    }
    if (s.freedReads.length) {
      const r = s.freedReads[0];
      sc.bad(
        RANK.freedReads,
        'use-after-free',
        `memcg ${r.memcg} (read from folio ${r.folio}) dereferenced at seq ${r.seq} after it was freed`,
      );
    }
    if (s.wrongLocks.length) {
      const r = s.wrongLocks[0];
      sc.bad(
        RANK.wrongLocks,
        'wrong-lock',
        `folio ${r.folio} activated at seq ${r.seq} under memcg ${r.locked}'s lruvec lock, but it is on memcg ${r.owner}'s lruvec`,
      );
    }
    // O(queued folios), small: checked whole after every event while any queue exists (thpSplitQueue runs)
    if (s.splitQueues.size) checkSplitQueues(s, NO_CENSUS, this.reports[RANK.splitQueue]);
    if (s.spins.length) checkBoundedRetries(s, NO_CENSUS, this.reports[RANK.spins]);
    this.clear();
    if (!this.out.length) return NONE;
    const found = this.out.sort((a, b) => a.rank - b.rank).map(({ invariant, detail }) => ({ invariant, detail }));
    this.out = [];
    return found;
  }

  private clear(): void {
    this.nLruvecs = this.nMemcgs = this.nObjcgs = 0;
    this.nodesChanged = this.queuesChanged = this.memcgsAll = false;
    this.f = this.prev = this.next = null;
  }
}
