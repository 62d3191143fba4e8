import { LRU_ACTIVE_ANON, LRU_ACTIVE_FILE, LRU_INACTIVE_ANON, MAX_NR_GENS, ROOT_MEMCG } from '../kernel/constants.js';
import {
  E,
  FOLIO_ACTIVE,
  FOLIO_DIRTY,
  FOLIO_FILE,
  FOLIO_MAPPED,
  FOLIO_SHMEM,
  FOLIO_WORKINGSET,
  REFAULT_RECENT,
  REFAULT_WORKINGSET,
} from '../kernel/events.js';
import { lruvecOf, nidOf } from '../kernel/node.js';
import { type FolioView, folioMemcgId, type KernelView, MEMCG_ONLINE, type Shadow } from '../kernel/state.js';
import { subtree } from '../kernel/tree.js';
import { chargePage } from './charge.js';
import type { Ctx } from './context.js';
import { unqueueDeferredSplit } from './deferred_split.js';
import { memCgroupHandleOverHigh } from './memory_high.js';
import { freeIfUnpinned, releaseUnpinned } from './release.js';
import { runKswapdIfAwake } from './vmscan/kswapd.js';
import { runBackgroundWriteback } from './writeback.js';

/**
 * filemap_read() of one page by a task in `memcg`. A hit only marks the folio accessed — it is
 * never re-charged. A miss allocates, charges the reader, consults the shadow entry
 * (workingset_refault) and adds the folio to the LRU; a charge that fails (-ENOMEM, e.g. the
 * task was OOM-killed) caches nothing. Then the return to user space (memory.high).
 */
export function readPage(ctx: Ctx, memcg: number, key: number): void {
  runBackgroundWriteback(ctx);
  const id = ctx.s.pageCache.get(key);
  if (id !== undefined) return markAccessed(ctx, ctx.s.folios.get(id)!);
  addPageCacheFolio(ctx, memcg, key, FOLIO_FILE);
}

/**
 * A write() that creates a page (a growing log): charged to the writer, then marked accessed.
 * `dirty`: the page stays dirty until the flusher writes it back (else it is treated as written
 * back at once, as before dirty pages were modelled).
 */
export function writePage(ctx: Ctx, memcg: number, key: number, dirty = false): void {
  runBackgroundWriteback(ctx);
  const id = ctx.s.pageCache.get(key);
  if (id !== undefined) return markAccessed(ctx, ctx.s.folios.get(id)!);
  addPageCacheFolio(ctx, memcg, key, FOLIO_FILE | (dirty ? FOLIO_DIRTY : 0));
}

/**
 * A load through a shared file mapping (filemap_fault / a young PTE): a mapped folio's PTE gets
 * its accessed bit; a cached unmapped folio is mapped (folio_add_file_rmap); a miss reads the
 * page in mapped.
 */
export function mapPage(ctx: Ctx, memcg: number, key: number): void {
  runBackgroundWriteback(ctx);
  const id = ctx.s.pageCache.get(key);
  if (id === undefined) return addPageCacheFolio(ctx, memcg, key, FOLIO_FILE | FOLIO_MAPPED);
  const f = ctx.s.folios.get(id)!;
  if (f.mapped) ctx.emit(E.access(f.id));
  else ctx.emit(E.folioMap(f.id));
}

/** munmap / exit of a mapping (zap_pte_range): a young PTE is passed on as folio_mark_accessed(). */
export function unmapPage(ctx: Ctx, key: number): void {
  const id = ctx.s.pageCache.get(key);
  const f = id === undefined ? undefined : ctx.s.folios.get(id);
  if (!f?.mapped) return;
  const young = f.young;
  ctx.emit(E.folioUnmap(f.id));
  if (young) markAccessed(ctx, ctx.s.folios.get(f.id)!);
}

function addPageCacheFolio(ctx: Ctx, memcg: number, key: number, baseFlags: number): void {
  const charged = chargePage(ctx, memcg);
  if (charged === null) return;
  const shadow = ctx.s.shadows.get(key);
  let flags = baseFlags;
  let refault = -1; // -1: nothing is counted
  if (shadow && ctx.s.mglru) {
    // lru_gen_refault(): counted only when the shadow's lruvec is the new folio's own.
    if (lruGenShadowMatches(ctx.s, shadow, memcg, nidOf(charged))) {
      refault = lruGenTestRecent(ctx.s, shadow) ? REFAULT_RECENT : 0;
      if (refault && shadow.workingset) {
        flags |= FOLIO_WORKINGSET;
        refault |= REFAULT_WORKINGSET;
      }
    }
  } else if (shadow) {
    refault = testRecent(ctx.s, shadow) ? REFAULT_RECENT : 0;
    if (refault) {
      flags |= FOLIO_ACTIVE;
      if (shadow.workingset) {
        flags |= FOLIO_WORKINGSET;
        refault |= REFAULT_WORKINGSET;
      }
    }
  }
  const folio = ctx.s.nextFolio;
  ctx.emit(E.charge(folio, memcg, flags | charged, key));
  if (shadow && refault >= 0) ctx.emit(E.refault(folio, shadow.memcg, refault, shadow.refs));
  if (!(flags & FOLIO_MAPPED)) markAccessed(ctx, ctx.s.folios.get(folio)!);
  memCgroupHandleOverHigh(ctx, memcg);
  runKswapdIfAwake(ctx);
}

/** The shadow names a memcg whose ID still resolves, and its lruvec is the refaulting folio's (same memcg, same node). */
function lruGenShadowMatches(s: KernelView, shadow: Shadow, memcg: number, nid: number): boolean {
  const m = s.memcgs.get(shadow.memcg);
  return !!m && m.state === MEMCG_ONLINE && m.id === memcg && shadow.nid === nid;
}

/** lru_gen_test_recent(): the eviction seq is within MAX_NR_GENS of the lruvec's max_seq. */
function lruGenTestRecent(s: KernelView, shadow: Shadow): boolean {
  const g = lruvecOf(s.memcgs.get(shadow.memcg)!, shadow.nid).lrugen;
  return Math.abs(g.maxSeq - shadow.eviction) < MAX_NR_GENS;
}

/**
 * workingset_test_recent(), classic: the eviction memcg must still have its ID (mem_cgroup_from_id():
 * erased when the last ID ref drops, at offline unless swap entries still hold it); the refault
 * is recent when the refault distance fits in the workingset: the eviction lruvec's active file
 * (hierarchical), plus all of its anon while there is free swap (mem_cgroup_get_nr_swap_pages():
 * anon then competes for the same memory; memory.swap.max is not modelled, so the device's free
 * slots decide). Every refault here is of a file page.
 */
function testRecent(s: KernelView, shadow: Shadow): boolean {
  const m = s.memcgs.get(shadow.memcg);
  if (!m || m.idRef === 0) return false;
  const distance = lruvecOf(m, shadow.nid).nonresidentAge - shadow.eviction;
  const anon = s.vm.swapPages - s.swapEntries.size > 0;
  let workingset = 0;
  for (const x of m.id === ROOT_MEMCG ? s.memcgs.values() : subtree(s, m.id)) {
    const size = lruvecOf(x, shadow.nid).size;
    workingset += size[LRU_ACTIVE_FILE];
    if (anon) workingset += size[LRU_ACTIVE_ANON] + size[LRU_INACTIVE_ANON];
  }
  return distance <= workingset;
}

/**
 * folio_mark_accessed(). Classic: inactive,unref → inactive,ref → active,unref → active,ref.
 * MGLRU: lru_gen_inc_refs() only (in evolve of the access); tiers do the rest at eviction.
 */
export function markAccessed(ctx: Ctx, f: FolioView): void {
  const activate = !ctx.s.mglru && !f.mapped && f.referenced && !f.active;
  ctx.emit(E.access(f.id));
  if (!activate) return;
  // folio_activate(): through the per-CPU batch, drained by a task (machine.concurrency.lruBatch)
  if (ctx.tasks?.opts.lruBatch) ctx.tasks.activate(f.id);
  else ctx.emit(E.activate(f.id));
}

/**
 * A page fault on fresh anonymous memory: charged to the faulting memcg, mapped; then the return
 * to user space (memory.high). Returns the folio, or 0 when the charge failed (VM_FAULT_OOM: the
 * task was OOM-killed, or nothing could be killed).
 */
export function faultAnon(ctx: Ctx, memcg: number): number {
  runBackgroundWriteback(ctx);
  const charged = chargePage(ctx, memcg);
  if (charged === null) return 0;
  const folio = ctx.s.nextFolio;
  // folio_add_lru() in a fault sets PG_active under MGLRU (lru_gen_in_fault); classic adds inactive.
  ctx.emit(E.charge(folio, memcg, FOLIO_MAPPED | (ctx.s.mglru ? FOLIO_ACTIVE : 0) | charged, 0));
  memCgroupHandleOverHigh(ctx, memcg);
  runKswapdIfAwake(ctx);
  return folio;
}

/**
 * write() of a new page to a tmpfs file (shmem_write_begin → shmem_get_folio → shmem_alloc_and_add_folio):
 * charged to the writer's memcg, swap-backed page cache on the inactive anon list, not mapped. It
 * outlives the writer until the file is removed (freeFolio), and reclaim can only swap it out.
 */
export function writeShmem(ctx: Ctx, memcg: number): number {
  runBackgroundWriteback(ctx);
  const charged = chargePage(ctx, memcg);
  if (charged === null) return 0;
  const folio = ctx.s.nextFolio;
  ctx.emit(E.charge(folio, memcg, FOLIO_SHMEM | charged, 0));
  memCgroupHandleOverHigh(ctx, memcg);
  runKswapdIfAwake(ctx);
  return folio;
}

/** Free a folio (exit, munmap, truncate): uncharge, then let go of what it pinned. */
export function freeFolio(ctx: Ctx, folio: number): void {
  const f = ctx.s.folios.get(folio);
  if (f) {
    const owner = f.owner;
    const memcg = folioMemcgId(ctx.s, f)!;
    unqueueDeferredSplit(ctx, folio);
    ctx.emit(E.uncharge(folio));
    releaseUnpinned(ctx, memcg, owner);
  }
  // zap_pte_range → free_swap_and_cache(): an anon page swapped out (or still in the swap cache) frees its entry
  const holder = ctx.s.swapEntries.get(folio);
  if (holder !== undefined) {
    ctx.emit(E.swapFree(folio));
    freeIfUnpinned(ctx, holder);
  }
}
