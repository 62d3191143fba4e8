import { LRU_UNEVICTABLE } from '../constants.js';
import { decodeSplice, type Event, SPLICE_MGLRU } from '../events.js';
import { lruGenIndex } from '../mmzone.js';
import { lruvecOf } from '../node.js';
import { SPLICE_NID_UNIT } from '../reparent.js';
import type { FolioView } from '../state.js';
import { walkList } from './inc_lruvec.js';
import { checkObjcgLists, type MemcgCounters } from './inc_memcg.js';
import { RANK, type Scope } from './inc_types.js';

// What the incremental checker (incremental.ts) does for the events of a memcg's life and of a
// reparent: the rare events that change many things at once.

/** What these handlers mark for the checker to check once the event is done. */
export interface Touched {
  sc: Scope;
  mc: MemcgCounters;
  lruvec(memcg: number, nid: number): void;
  memcg(id: number): void;
  /** a memcg and its ancestors */
  memcgUp(id: number): void;
  objcg(id: number): void;
  /** a folio a list walk saw: re-counted */
  seen(f: FolioView): void;
  /** the tree-wide invariants (cgroup.stat, the memcg LRU, the iterators) */
  lifecycle(): void;
}

/** memcg_create: its shadow counters, its objcgs, its lruvecs; the tree-wide invariants it changes. */
export function created(x: Touched, id: number): void {
  const m = x.sc.s.memcgs.get(id);
  if (!m) return;
  x.sc.t.setLive(id, m);
  for (const pn of m.nodeinfo) if (pn.objcg) x.sc.t.setOwnerMemcg(pn.objcg, m.id);
  x.memcgUp(id);
  for (let nid = 0; nid < m.nodeinfo.length; nid++) x.lruvec(id, nid);
  checkObjcgLists(x.sc, [id]);
  x.lifecycle();
}

/** memcg_free: nothing may still point at it; its parent took its counters. */
export function freed(x: Touched, id: number): void {
  const s = x.sc.s;
  const parent = x.mc.parentOf(id);
  const nodes = s.nodes.length;
  const pages = x.sc.t.byMemcg.anon(id) + x.sc.t.byMemcg.file(id);
  if (pages) x.sc.bad(RANK.owners, 'freed-owns-nothing', `${pages} folios belong to memcg ${id}, which was freed`);
  if (x.mc.heldBy(id)) x.sc.bad(RANK.swap, 'swap-id', `${x.mc.heldBy(id)} swap entries record memcg ${id}, which was freed`);
  checkObjcgLists(x.sc, [id]);
  x.mc.sync(id, undefined);
  x.sc.t.setLive(id, undefined);
  x.sc.t.byMemcg.drop(id);
  if (!s.objcgCharging) x.sc.t.byOwner.drop(id);
  if (parent !== undefined) {
    x.memcgUp(parent);
    for (let nid = 0; nid < nodes; nid++) x.lruvec(parent, nid);
  }
  x.lifecycle();
}

/** objcg_reparent: the objcgs now pointing at the parent move their tallies there at once. */
export function reparented(x: Touched, child: number, parent: number, nid: number): void {
  const p = x.sc.s.memcgs.get(parent);
  if (p && x.sc.s.objcgCharging) {
    for (const pn of p.nodeinfo) {
      for (const id of pn.objcgList) {
        const o = x.sc.s.objcgs.get(id);
        if (!o || x.sc.t.memcgOf(id) === o.memcg) continue;
        x.sc.t.repoint(id, o.memcg, x.sc.s.nodes.length);
        x.objcg(id);
      }
    }
  }
  x.memcgUp(child);
  x.memcgUp(parent);
  x.lruvec(child, nid);
  x.lruvec(parent, nid);
  checkObjcgLists(x.sc, [child, parent]);
}

/** splice: the parent's list that received the child's walked (its folios may have new gens), both lruvecs' counters. */
export function spliced(x: Touched, e: Event): void {
  const nid = Math.floor(e.b / SPLICE_NID_UNIT);
  const b = e.b % SPLICE_NID_UNIT;
  const parent = x.sc.s.memcgs.get(e.a);
  if (parent && nid < parent.nodeinfo.length) {
    const lv = lruvecOf(parent, nid);
    if (b < SPLICE_MGLRU) {
      if (b !== LRU_UNEVICTABLE && lv.lists[b]) walkList(x.sc, parent, nid, lv.lists[b], b, x.seen);
    } else {
      const { parentGen, type } = decodeSplice(b);
      const idx = lruGenIndex(parentGen, type);
      walkList(x.sc, parent, nid, lv.lrugen.lists[idx], idx, x.seen);
    }
  }
  x.lruvec(e.memcg, nid);
  x.lruvec(e.a, nid);
}
