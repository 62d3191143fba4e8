import { folioType } from '../lru_gen.js';
import { lruGenIndex } from '../mmzone.js';
import { folioSizeStat, Stat } from '../stat.js';
import type { FolioView, KernelView } from '../state.js';

// The incremental checker's own count of the folios (incremental.ts): what each folio contributed
// when it was last seen, and the sums of those contributions per owner and per memcg, by node.
// Counters the kernel keeps (nr_pages, lru sizes, memory.stat, objcg charges) are compared with
// these sums, so an event only has to re-count the folios it touched.

/** Node ids fold into tally keys as owner * NODE_KEY + nid. */
export const NODE_KEY = 1024;
/** Slots of Tally.list / Tally.gen: classic lists 0..4, MGLRU lruGenIndex 0..7. */
export const TALLY_SLOTS = 8;

/** Folios of one owner (or memcg) on one node. */
export interface Tally {
  /** pages by folioSizeStat: anon, file (shmem counts as file) */
  anon: number;
  file: number;
  /** folios by the list they record (folio->list) */
  list: Int32Array;
  /** MGLRU: folios by flags gen (lruGenIndex(gen, type)) */
  gen: Int32Array;
}

/** What one folio counted for, as last seen. */
export interface FolioShadow {
  owner: number;
  nid: number;
  file: boolean; // folioSizeStat is file
  list: number;
  gen: number; // lruGenIndex(flags gen, type), -1 when not on an MGLRU list
  key: number; // page-cache key, -1 for anon
  dirty: boolean;
  writeback: boolean;
}

/** What changed in a folio's contribution: its placement (lists, gens) and/or its charge (owner, node, size, existence). */
export const MOVED = 1;
export const RECHARGED = 2;

function newTally(): Tally {
  return { anon: 0, file: 0, list: new Int32Array(TALLY_SLOTS), gen: new Int32Array(TALLY_SLOTS) };
}

const slot = (i: number) => i >= 0 && i < TALLY_SLOTS;

export class Tallies {
  /** owner * NODE_KEY + nid → tally (owner: the objcg, or the memcg under legacy charging) */
  readonly byOwner = new Map<number, Tally>();
  /** memcg * NODE_KEY + nid → tally: the owners' tallies summed by the memcg each owner points at */
  readonly byMemcg = new Map<number, Tally>();
  /** objcg → the memcg it pointed at when last seen (objcg charging) */
  readonly ownerMemcg = new Map<number, number>();
  readonly folios = new Map<number, FolioShadow>();
  readonly nodeFolios: number[];
  dirty = 0;
  writeback = 0;

  constructor(private readonly s: KernelView) {
    this.nodeFolios = s.nodes.map(() => 0);
    if (s.objcgCharging) for (const o of s.objcgs.values()) this.ownerMemcg.set(o.id, o.memcg);
    for (const f of s.folios.values()) this.sync(f.id, f);
  }

  /** The memcg an owner's folios count for (-1: a missing objcg). */
  memcgOf(owner: number): number {
    if (!this.s.objcgCharging) return owner;
    const m = this.ownerMemcg.get(owner);
    if (m !== undefined) return m;
    const o = this.s.objcgs.get(owner); // an objcg not seen yet (memcg_create registers them)
    if (!o) return -1;
    this.ownerMemcg.set(owner, o.memcg);
    return o.memcg;
  }

  tally(map: Map<number, Tally>, id: number, nid: number): Tally {
    const k = id * NODE_KEY + nid;
    let t = map.get(k);
    if (!t) {
      t = newTally();
      map.set(k, t);
    }
    return t;
  }

  peek(map: Map<number, Tally>, id: number, nid: number): Tally | undefined {
    return map.get(id * NODE_KEY + nid);
  }

  private count(sh: FolioShadow, d: number): void {
    const m = this.memcgOf(sh.owner);
    this.add(this.tally(this.byOwner, sh.owner, sh.nid), sh, d);
    if (m >= 0) this.add(this.tally(this.byMemcg, m, sh.nid), sh, d);
    if (sh.nid >= 0 && sh.nid < this.nodeFolios.length) this.nodeFolios[sh.nid] += d;
    if (sh.dirty) this.dirty += d;
    if (sh.writeback) this.writeback += d;
  }

  private add(t: Tally, sh: FolioShadow, d: number): void {
    if (sh.file) t.file += d;
    else t.anon += d;
    if (slot(sh.list)) t.list[sh.list] += d;
    if (slot(sh.gen)) t.gen[sh.gen] += d;
  }

  /**
   * Re-count one folio (f: undefined once it is gone): its old contribution out, the new one in.
   * Returns what changed (MOVED | RECHARGED, 0: nothing) and leaves the old shadow in `this.old`.
   */
  sync(id: number, f: FolioView | undefined): number {
    const sh = this.folios.get(id);
    if (!f) {
      if (!sh) return 0;
      this.count(sh, -1);
      this.folios.delete(id);
      this.old = sh;
      return RECHARGED | MOVED;
    }
    const file = folioSizeStat(f) === Stat.file;
    const gen = f.gen >= 0 ? lruGenIndex(f.gen, folioType(f)) : -1;
    if (sh) {
      if (
        sh.list === f.list &&
        sh.gen === gen &&
        sh.owner === f.owner &&
        sh.nid === f.nid &&
        sh.file === file &&
        sh.dirty === f.dirty &&
        sh.writeback === f.writeback &&
        sh.key === f.key
      )
        return 0;
      this.count(sh, -1);
    }
    const changed = !sh ? RECHARGED | MOVED : (sh.owner !== f.owner || sh.nid !== f.nid || sh.file !== file ? RECHARGED : 0) | MOVED;
    this.old = sh ? { ...sh } : null;
    const next: FolioShadow = sh ?? { owner: 0, nid: 0, file, list: -1, gen: -1, key: -1, dirty: false, writeback: false };
    next.owner = f.owner;
    next.nid = f.nid;
    next.file = file;
    next.list = f.list;
    next.gen = gen;
    next.key = f.key;
    next.dirty = f.dirty;
    next.writeback = f.writeback;
    if (!sh) this.folios.set(id, next);
    this.count(next, 1);
    return changed;
  }

  /** The shadow a folio had before the last sync that changed it (null: it was new). */
  old: FolioShadow | null = null;

  /**
   * An objcg now points at another memcg (objcg_reparent): its tallies move between the memcgs'
   * sums at once, without a folio walk — as the kernel moves the charges by re-pointing the objcg.
   */
  repoint(objcg: number, memcg: number, nodes: number): void {
    const was = this.memcgOf(objcg);
    if (was === memcg) return;
    for (let nid = 0; nid < nodes; nid++) {
      const t = this.peek(this.byOwner, objcg, nid);
      if (!t) continue;
      if (was >= 0) this.move(t, this.tally(this.byMemcg, was, nid), -1);
      this.move(t, this.tally(this.byMemcg, memcg, nid), 1);
    }
    this.ownerMemcg.set(objcg, memcg);
  }

  private move(from: Tally, to: Tally, d: number): void {
    to.anon += d * from.anon;
    to.file += d * from.file;
    for (let i = 0; i < TALLY_SLOTS; i++) {
      to.list[i] += d * from.list[i];
      to.gen[i] += d * from.gen[i];
    }
  }

  /** Pages (anon + file) an owner or memcg holds on every node. */
  pages(map: Map<number, Tally>, id: number, nodes: number): { anon: number; file: number } {
    let anon = 0;
    let file = 0;
    for (let nid = 0; nid < nodes; nid++) {
      const t = this.peek(map, id, nid);
      if (t) {
        anon += t.anon;
        file += t.file;
      }
    }
    return { anon, file };
  }

  /** Forget an owner or memcg that is gone (its tallies must be empty by then). */
  drop(map: Map<number, Tally>, id: number, nodes: number): void {
    for (let nid = 0; nid < nodes; nid++) map.delete(id * NODE_KEY + nid);
  }
}
