import { type KernelView, MEMCG_ONLINE, type MemcgView } from '../state.js';
import { preOrder } from '../tree.js';
import type { Census, Report } from './types.js';

/**
 * Swap entries against the counters: no more entries than swap slots; memcg->swap (hierarchical)
 * = entries recorded with an ID in the subtree; id.ref = the online ref + entries recording it;
 * a swap-cache folio has its entry.
 */
export function checkSwap(s: KernelView, _c: Census, bad: Report): void {
  if (s.swapEntries.size > s.vm.swapPages) bad('swap-slots', `${s.swapEntries.size} swap entries on a ${s.vm.swapPages}-page device`);
  const held = new Map<number, number>();
  for (const [folio, id] of s.swapEntries) {
    if (!s.memcgs.has(id)) bad('swap-id', `swap entry of folio ${folio} records memcg ${id}, which is not live`);
    held.set(id, (held.get(id) ?? 0) + 1);
  }
  const subtree = new Map<number, number>();
  const order = preOrder(s);
  for (let i = order.length - 1; i >= 0; i--) {
    const m = order[i];
    let sum = held.get(m.id) ?? 0;
    for (const c of m.children) sum += subtree.get(c) ?? 0;
    subtree.set(m.id, sum);
    if (m.swap !== sum) bad('swap-charge', `${m.path}: memory.swap.current ${m.swap} pages, subtree entries ${sum}`);
    const ids = (m.state === MEMCG_ONLINE ? 1 : 0) + (held.get(m.id) ?? 0);
    if (m.idRef !== ids) bad('id-ref', `${m.path}: id.ref ${m.idRef}, expected ${ids}`);
  }
  for (const f of s.folios.values()) {
    if (f.swapcache && (f.file || !s.swapEntries.has(f.id)))
      bad('swapcache', `folio ${f.id} is in the swap cache without an anon swap entry`);
  }
}

/**
 * Dirty and writeback: only file folios are dirty; a folio is not both; the flusher's queues hold
 * exactly the dirty and the writeback folios, in tick order; PG_reclaim only on folios that are
 * under writeback or dirty (set by reclaim, cleared at writeback end) — or, MGLRU, sorted dirty.
 */
export function checkDirtyWriteback(s: KernelView, _c: Census, bad: Report): void {
  let dirty = 0;
  let wb = 0;
  for (const f of s.folios.values()) {
    if (f.dirty && !f.file) bad('dirty', `anon folio ${f.id} is dirty`);
    if (f.dirty && f.writeback) bad('dirty', `folio ${f.id} is dirty and under writeback`);
    if (f.dirty) {
      dirty++;
      if (!s.dirtyQueue.has(f.id)) bad('dirty-queue', `dirty folio ${f.id} is not queued for the flusher`);
    }
    if (f.writeback) {
      wb++;
      if (!s.writebackQueue.has(f.id)) bad('writeback-queue', `folio ${f.id} under writeback is not queued`);
    }
    if (f.reclaim && !f.dirty && !f.writeback) bad('pg-reclaim', `folio ${f.id} has PG_reclaim but is clean and not under writeback`);
  }
  if (s.dirtyQueue.size !== dirty) bad('dirty-queue', `${s.dirtyQueue.size} queued dirty, ${dirty} dirty folios`);
  if (s.writebackQueue.size !== wb) bad('writeback-queue', `${s.writebackQueue.size} queued under writeback, ${wb} folios`);
  for (const q of [s.dirtyQueue, s.writebackQueue]) {
    let last = 0;
    for (const t of q.values()) {
      if (t < last) bad('queue-order', 'a flusher queue is out of tick order');
      last = t;
    }
  }
}

/** Reclaim iterators point at a live memcg inside their root's subtree (invalidate_reclaim_iterators). */
export function checkReclaimIters(s: KernelView, _c: Census, bad: Report): void {
  for (const m of s.memcgs.values()) {
    for (const pn of m.nodeinfo) {
      const pos = pn.iter.position;
      if (!pos) continue;
      let x: MemcgView | undefined = s.memcgs.get(pos);
      if (!x) {
        bad('reclaim-iter', `${m.path}: iterator at freed memcg ${pos}`);
        continue;
      }
      while (x && x.id !== m.id) x = s.memcgs.get(x.parent);
      if (!x) bad('reclaim-iter', `${m.path}: iterator at memcg ${pos}, outside its subtree`);
    }
  }
}
