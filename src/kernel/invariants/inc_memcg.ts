import { MEMCG_CHARGE_BATCH } from '../constants.js';
import { NODE_EVENT_STATS, Stat } from '../stat.js';
import { type KernelView, MEMCG_ONLINE, type MemcgView } from '../state.js';
import { RANK, type Scope } from './inc_types.js';

// The counters of one memcg and its objcgs (incremental.ts): checkHierarchicalCharge,
// checkChargeStock, checkLocalSize, checkCssRefs, checkSwap, checkNodes and checkReclaimIters
// for one memcg in O(nodes + depth). Sums over children come from the children's own counters
// as last seen (a hierarchical counter holds iff each memcg's = its own pages + its children's).

interface MemcgShadow {
  parent: number;
  memory: number;
  swap: number;
  stock: number;
}

function bump(map: Map<number, number>, k: number, d: number): void {
  if (d) map.set(k, (map.get(k) ?? 0) + d);
}

export class MemcgCounters {
  private readonly shadows = new Map<number, MemcgShadow>();
  /** memcg → Σ memory (swap) of its children, as last seen */
  private readonly childMemory = new Map<number, number>();
  private readonly childSwap = new Map<number, number>();
  /** Σ stock of the live memcgs, as last seen */
  private stockTotal = 0;
  /** memcg ID → swap entries recording it */
  private readonly held = new Map<number, number>();
  /** folio → the memcg ID its swap entry recorded */
  private readonly entries = new Map<number, number>();

  constructor(s: KernelView) {
    for (const m of s.memcgs.values()) this.sync(m.id, m);
    for (const [folio, id] of s.swapEntries) this.swapOut(folio, id);
  }

  /** Take a memcg's counters as they are now (m undefined: it was freed). */
  sync(id: number, m: MemcgView | undefined): void {
    const sh = this.shadows.get(id);
    if (!m) {
      if (!sh) return;
      bump(this.childMemory, sh.parent, -sh.memory);
      bump(this.childSwap, sh.parent, -sh.swap);
      this.stockTotal -= sh.stock;
      this.shadows.delete(id);
      return;
    }
    if (!sh) {
      this.shadows.set(id, { parent: m.parent, memory: m.memory, swap: m.swap, stock: m.stock });
      bump(this.childMemory, m.parent, m.memory);
      bump(this.childSwap, m.parent, m.swap);
      this.stockTotal += m.stock;
      return;
    }
    bump(this.childMemory, sh.parent, m.memory - sh.memory);
    bump(this.childSwap, sh.parent, m.swap - sh.swap);
    this.stockTotal += m.stock - sh.stock;
    sh.memory = m.memory;
    sh.swap = m.swap;
    sh.stock = m.stock;
  }

  /** A swap entry recorded for folio with memcg ID id. */
  swapOut(folio: number, id: number): void {
    this.entries.set(folio, id);
    bump(this.held, id, 1);
  }

  /** The swap entry of folio freed: the ID it recorded (undefined: there was none). */
  swapFree(folio: number): number | undefined {
    const id = this.entries.get(folio);
    if (id === undefined) return undefined;
    this.entries.delete(folio);
    bump(this.held, id, -1);
    return id;
  }

  /** The parent of a memcg as last seen (it may be gone from the state). */
  parentOf(id: number): number | undefined {
    return this.shadows.get(id)?.parent;
  }

  heldBy(id: number): number {
    return this.held.get(id) ?? 0;
  }

  /** stockPages = Σ stocks (checkChargeStock's machine total). */
  checkStockTotal(sc: Scope): void {
    if (sc.s.stockPages !== this.stockTotal)
      sc.bad(RANK.stock, 'charge-stock', `stocks hold ${this.stockTotal} pages, the machine counts ${sc.s.stockPages}`);
  }

  /**
   * Every counter of one live memcg against its folios (the tallies), its children and its swap
   * entries; with `all`, also what only a few events change (its per-node stats, its reclaim
   * iterators, its nodeinfo).
   */
  check(sc: Scope, m: MemcgView, all: boolean): void {
    const { s, t, bad } = sc;
    const nodes = s.nodes.length;
    const anon = t.byMemcg.anon(m.id);
    const file = t.byMemcg.file(m.id);
    const sum = anon + file + m.stock + (this.childMemory.get(m.id) ?? 0);
    if (m.memory !== sum)
      bad(RANK.charge, 'hierarchical-charge', `${m.path}: memory.current ${m.memory} pages, its folios, stock and children hold ${sum}`);
    if (m.stock < 0 || m.stock > MEMCG_CHARGE_BATCH) bad(RANK.stock, 'charge-stock', `${m.path}: stock ${m.stock} pages`);
    if (m.stock && m.state !== MEMCG_ONLINE) bad(RANK.stock, 'charge-stock', `${m.path} is offline with ${m.stock} stocked pages`);
    if (!sc.locked(m.id) && (m.stat[Stat.anon] !== anon || m.stat[Stat.file] !== file))
      bad(RANK.local, 'local-size', `${m.path}: anon/file ${m.stat[Stat.anon]}/${m.stat[Stat.file]} but folios ${anon}/${file}`);
    const id = m.idRef > 0 ? 1 : 0;
    const getter = s.memcgGet?.held && s.memcgGet.memcg === m.id ? 1 : 0;
    const pins = (s.objcgCharging ? id : id + anon + file) + (s.walk?.memcg === m.id ? 1 : 0) + getter;
    if (m.cssRefs !== pins) bad(RANK.css, 'css-refs', `${m.path}: ${m.cssRefs} css refs, expected ${pins}`);
    const held = this.heldBy(m.id);
    const swap = held + (this.childSwap.get(m.id) ?? 0);
    if (m.swap !== swap)
      bad(RANK.swap, 'swap-charge', `${m.path}: memory.swap.current ${m.swap} pages, its and its children's entries ${swap}`);
    const ids = (m.state === MEMCG_ONLINE ? 1 : 0) + held;
    if (m.idRef !== ids) bad(RANK.swap, 'id-ref', `${m.path}: id.ref ${m.idRef}, expected ${ids}`);
    if (!all) return;
    checkIters(sc, m);
    if (m.nodeinfo.length !== nodes) {
      bad(RANK.nodes, 'memcg-nodes', `${m.path} has ${m.nodeinfo.length} nodeinfo, not ${nodes}`);
      return;
    }
    for (let k = 0; k < NODE_EVENT_STATS.length; k++) {
      let n = 0;
      for (const pn of m.nodeinfo) n += pn.lruvecStat[k];
      if (n !== m.stat[NODE_EVENT_STATS[k]])
        bad(
          RANK.nodes,
          'node-stat',
          `${m.path}: stat ${NODE_EVENT_STATS[k]} is ${m.stat[NODE_EVENT_STATS[k]]} but its nodes add up to ${n}`,
        );
    }
  }
}

/** The reclaim iterators rooted at m point at a live memcg of its subtree. */
function checkIters(sc: Scope, m: MemcgView): void {
  for (const pn of m.nodeinfo) {
    const pos = pn.iter.position;
    if (!pos) continue;
    let x = sc.s.memcgs.get(pos);
    if (!x) {
      sc.bad(RANK.iters, 'reclaim-iter', `${m.path}: iterator at freed memcg ${pos}`);
      continue;
    }
    while (x && x.id !== m.id) x = sc.s.memcgs.get(x.parent);
    if (!x) sc.bad(RANK.iters, 'reclaim-iter', `${m.path}: iterator at memcg ${pos}, outside its subtree`);
  }
}

/** One objcg: it exists while folios are charged to it, points at a live memcg, and counts its folios. */
export function checkObjcg(sc: Scope, id: number): void {
  const { s, t, bad } = sc;
  const o = s.objcgs.get(id);
  const anon = t.byOwner.anon(id);
  const file = t.byOwner.file(id);
  if (!o) {
    if (s.objcgCharging && anon + file) bad(RANK.owners, 'owner', `${anon + file} folios owned by missing objcg ${id}`);
    return;
  }
  if (!s.memcgs.has(o.memcg)) bad(RANK.objcgs, 'freed-owns-nothing', `objcg ${o.id} points at memcg ${o.memcg}, which is not live`);
  else if (s.objcgCharging && (anon !== o.nrAnon || file !== o.nrFile))
    bad(RANK.objcgs, 'objcg-charge', `objcg ${o.id}: ${o.nrAnon}/${o.nrFile} charged but folios ${anon}/${file}`);
}

/**
 * The objcgs pointing at the given memcgs (one pass over the objcgs): each sits on exactly one of
 * its memcg's node lists, and the memcg is live (checkObjcgs, for the memcgs an event changed).
 */
export function checkObjcgLists(sc: Scope, memcgs: readonly number[]): void {
  const { s, bad } = sc;
  const onLists = new Map<number, number>();
  for (const id of memcgs) {
    const m = s.memcgs.get(id);
    if (!m) continue;
    for (const pn of m.nodeinfo) {
      if (pn.objcg) bump(onLists, pn.objcg, 1);
      for (const o of pn.objcgList) bump(onLists, o, 1);
    }
  }
  for (const o of s.objcgs.values()) {
    if (!memcgs.includes(o.memcg)) continue;
    const m = s.memcgs.get(o.memcg);
    if (!m) bad(RANK.objcgs, 'freed-owns-nothing', `objcg ${o.id} points at memcg ${o.memcg}, which is not live`);
    else if ((onLists.get(o.id) ?? 0) !== 1)
      bad(RANK.objcgs, 'objcg-list', `objcg ${o.id} points at ${m.path} but is on ${onLists.get(o.id) ?? 0} of its node lists, not one`);
  }
}
