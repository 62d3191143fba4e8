import { folioType } from '../lru_gen.js';
import { lruGenIndex } from '../mmzone.js';
import { folioSizeStat, Stat } from '../stat.js';
import type { FolioView, KernelView, MemcgView } from '../state.js';

// The incremental checker's own count of the folios (incremental.ts): what each folio contributed
// when it was last seen, and the sums of those contributions per owner and per memcg, by node.
// Counters the kernel keeps (nr_pages, lru sizes, memory.stat, objcg charges) are compared with
// these sums, so an event only has to re-count the folios it touched.

/** Node ids fold into the checker's lruvec keys as memcg * NODE_KEY + nid. */
export const NODE_KEY = 1024;
/** Ids (folio, objcg, memcg) index arrays; one beyond this (a damaged state) is counted nowhere. */
const MAX_ID = 1 << 30;
const isId = (id: number) => Number.isInteger(id) && id >= 0 && id < MAX_ID;
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

/** Tallies by id and node, in arrays indexed by id (ids are small dense integers: faster than a Map on every event). */
export class TallyTable {
  private readonly rows: (Tally[] | undefined)[] = [];

  peek(id: number, nid: number): Tally | undefined {
    return this.rows[id]?.[nid];
  }

  get(id: number, nid: number): Tally {
    if (!isId(id) || !isId(nid)) return newTally(); // a damaged id: counted nowhere (its folio's checks report it)
    let row = this.rows[id];
    if (!row) row = this.rows[id] = [];
    let t = row[nid];
    if (!t) t = row[nid] = newTally();
    return t;
  }

  /** Anon pages of one id over every node. */
  anon(id: number): number {
    const row = this.rows[id];
    let n = 0;
    if (row) for (let nid = 0; nid < row.length; nid++) n += row[nid]?.anon ?? 0;
    return n;
  }

  /** File pages (shmem included) of one id over every node. */
  file(id: number): number {
    const row = this.rows[id];
    let n = 0;
    if (row) for (let nid = 0; nid < row.length; nid++) n += row[nid]?.file ?? 0;
    return n;
  }

  /** Forget an id that is gone. */
  drop(id: number): void {
    if (this.rows[id]) this.rows[id] = undefined;
  }
}

const slot = (i: number) => i >= 0 && i < TALLY_SLOTS;

export class Tallies {
  /** owner (the objcg, or the memcg under legacy charging) → tallies by node */
  readonly byOwner = new TallyTable();
  /** memcg → tallies by node: the owners' tallies summed by the memcg each owner points at */
  readonly byMemcg = new TallyTable();
  /** objcg → the memcg it pointed at when last seen (objcg charging), by objcg id */
  private readonly ownerMemcg: (number | undefined)[] = [];
  /** folio id → its shadow */
  private readonly folios: (FolioShadow | undefined)[] = [];
  /** memcg id → the live memcg (memcg_create adds, memcg_free drops): folio_memcg() without a Map lookup */
  private readonly live: (MemcgView | undefined)[] = [];
  readonly nodeFolios: number[];
  dirty = 0;
  writeback = 0;

  constructor(private readonly s: KernelView) {
    this.nodeFolios = s.nodes.map(() => 0);
    for (const m of s.memcgs.values()) this.setLive(m.id, m);
    if (s.objcgCharging) for (const o of s.objcgs.values()) this.setOwnerMemcg(o.id, o.memcg);
    for (const f of s.folios.values()) this.sync(f.id, f);
  }

  /** The memcg an owner's folios count for (-1: a missing objcg). */
  memcgOf(owner: number): number {
    if (!this.s.objcgCharging) return owner;
    const m = this.ownerMemcg[owner];
    if (m !== undefined) return m;
    const o = this.s.objcgs.get(owner); // an objcg not seen yet (memcg_create registers them)
    if (!o) return -1;
    this.setOwnerMemcg(owner, o.memcg);
    return o.memcg;
  }

  /** The live memcg of an id, as the memcg events left it (undefined: freed or never created). */
  memcg(id: number): MemcgView | undefined {
    return this.live[id];
  }

  setLive(id: number, m: MemcgView | undefined): void {
    if (isId(id)) this.live[id] = m;
  }

  setOwnerMemcg(objcg: number, memcg: number | undefined): void {
    if (isId(objcg)) this.ownerMemcg[objcg] = memcg;
  }

  private count(sh: FolioShadow, d: number): void {
    const m = this.memcgOf(sh.owner);
    this.add(this.byOwner.get(sh.owner, sh.nid), sh, d);
    if (m >= 0) this.add(this.byMemcg.get(m, sh.nid), sh, d);
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

  /** Folios counted (the shadows held). */
  size = 0;

  /**
   * Re-count one folio (f: undefined once it is gone): its old contribution out, the new one in.
   * Returns what changed (MOVED | RECHARGED, 0: nothing) and leaves the old shadow in `this.old`.
   */
  sync(id: number, f: FolioView | undefined): number {
    if (!isId(id)) return 0;
    const sh = this.folios[id];
    if (!f) {
      if (!sh) return 0;
      this.count(sh, -1);
      this.folios[id] = undefined;
      this.size--;
      this.old = sh;
      return RECHARGED | MOVED;
    }
    const gen = f.gen >= 0 ? lruGenIndex(f.gen, folioType(f)) : -1;
    if (
      sh &&
      sh.list === f.list &&
      sh.gen === gen &&
      sh.owner === f.owner &&
      sh.nid === f.nid &&
      sh.dirty === f.dirty &&
      sh.writeback === f.writeback &&
      sh.key === f.key &&
      sh.file === (folioSizeStat(f) === Stat.file)
    )
      return 0;
    const file = folioSizeStat(f) === Stat.file;
    if (sh) this.count(sh, -1);
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
    if (!sh) {
      this.folios[id] = next;
      this.size++;
    }
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
      const t = this.byOwner.peek(objcg, nid);
      if (!t) continue;
      if (was >= 0) this.move(t, this.byMemcg.get(was, nid), -1);
      this.move(t, this.byMemcg.get(memcg, nid), 1);
    }
    this.setOwnerMemcg(objcg, memcg);
  }

  private move(from: Tally, to: Tally, d: number): void {
    to.anon += d * from.anon;
    to.file += d * from.file;
    for (let i = 0; i < TALLY_SLOTS; i++) {
      to.list[i] += d * from.list[i];
      to.gen[i] += d * from.gen[i];
    }
  }
}
