import { MEMCG_CHARGE_BATCH } from '../constants.js';
import { Stat } from '../stat.js';
import { type KernelView, MEMCG_DYING, MEMCG_ONLINE } from '../state.js';
import { preOrder } from '../tree.js';
import type { Census, Report } from './types.js';

/** page_counter: memory.current of a memcg = pages charged in its subtree (folios and charge stocks). */
export function checkHierarchicalCharge(s: KernelView, c: Census, bad: Report): void {
  const subtree = new Map<number, number>();
  const order = preOrder(s);
  for (let i = order.length - 1; i >= 0; i--) {
    const m = order[i];
    const l = c.local.get(m.id)!;
    let sum = l.anon + l.file + m.stock;
    for (const child of m.children) sum += subtree.get(child) ?? 0;
    subtree.set(m.id, sum);
    if (m.memory !== sum) bad('hierarchical-charge', `${m.path}: memory.current ${m.memory} pages, subtree holds ${sum}`);
  }
}

/** The charge stock: 0..MEMCG_CHARGE_BATCH pages per memcg, none once offline (drain_all_stock), and the machine total. */
export function checkChargeStock(s: KernelView, _c: Census, bad: Report): void {
  let total = 0;
  for (const m of s.memcgs.values()) {
    total += m.stock;
    if (m.stock < 0 || m.stock > MEMCG_CHARGE_BATCH) bad('charge-stock', `${m.path}: stock ${m.stock} pages`);
    if (m.stock && m.state !== MEMCG_ONLINE) bad('charge-stock', `${m.path} is offline with ${m.stock} stocked pages`);
  }
  if (total !== s.stockPages) bad('charge-stock', `stocks hold ${total} pages, the machine counts ${s.stockPages}`);
}

/** The local anon/file stat = pages folio_memcg() gives the memcg (not mid-reparent). */
export function checkLocalSize(s: KernelView, c: Census, bad: Report): void {
  for (const m of preOrder(s)) {
    const l = c.local.get(m.id)!;
    if (!c.locked.has(m.id) && (m.stat[Stat.anon] !== l.anon || m.stat[Stat.file] !== l.file)) {
      bad('local-size', `${m.path}: anon/file ${m.stat[Stat.anon]}/${m.stat[Stat.file]} but folios ${l.anon}/${l.file}`);
    }
  }
}

/**
 * The css refs tasks hold on memcg `id`: the walk's (mem_cgroup_iter), the running offline's
 * (kill_css), and the one get_mem_cgroup_from_folio() returned while its caller holds it.
 */
export function taskCssRefs(s: KernelView, id: number): number {
  const getter = s.memcgGet?.held && s.memcgGet.memcg === id ? 1 : 0;
  return (s.walk?.memcg === id ? 1 : 0) + (s.offlining === id ? 1 : 0) + getter;
}

/**
 * css refs: one while the ID has refs (online, or swap entries), plus one per charged folio when
 * folios pin the memcg (legacy), plus the ones tasks hold (taskCssRefs).
 */
export function checkCssRefs(s: KernelView, c: Census, bad: Report): void {
  for (const m of preOrder(s)) {
    const l = c.local.get(m.id)!;
    const id = m.idRef > 0 ? 1 : 0;
    const pins = (s.objcgCharging ? id : id + l.anon + l.file) + taskCssRefs(s, m.id);
    if (m.cssRefs !== pins) bad('css-refs', `${m.path}: ${m.cssRefs} css refs, expected ${pins}`);
  }
}

/** cgroup.stat: nr_descendants / nr_dying_descendants agree with the tree; children are live; all live memcgs are reachable. */
export function checkCgroupTree(s: KernelView, _c: Census, bad: Report): void {
  const order = preOrder(s);
  for (const m of order) {
    let desc = 0;
    let dying = 0;
    for (const id of m.children) {
      const cm = s.memcgs.get(id);
      if (!cm) {
        bad('tree', `${m.path} lists child ${id}, which is not live`);
        continue;
      }
      desc += cm.nrDescendants + (cm.state === MEMCG_ONLINE ? 1 : 0);
      dying += cm.nrDyingDescendants + (cm.state === MEMCG_DYING ? 1 : 0);
    }
    if (m.nrDescendants !== desc) bad('cgroup.stat', `${m.path}: nr_descendants ${m.nrDescendants}, tree has ${desc}`);
    if (m.nrDyingDescendants !== dying) bad('cgroup.stat', `${m.path}: nr_dying_descendants ${m.nrDyingDescendants}, tree has ${dying}`);
  }
  if (order.length !== s.memcgs.size) bad('tree', `${s.memcgs.size} live memcgs but ${order.length} reachable from the root`);
}
