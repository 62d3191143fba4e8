import { ANON_AND_FILE, MAX_NR_GENS } from '../constants.js';
import type { Event } from '../events.js';
import { folioType, genClassicList, setWalkBatched } from '../lru_gen.js';
import { lruGenIndex } from '../mmzone.js';
import { folioNid, lruvecOf } from '../node.js';
import { folioMemcgId, getFolio, getMemcg, type KernelState, type Walk } from '../state.js';
import { EvolveError } from './error.js';

// evolve() for the MGLRU page-table walk as a task of its own (machine.concurrency.agingWalk):
// lru_gen_mm_walk batches the size changes of folio_update_gen() (update_batch_size) and writes
// them into walk->lruvec at the end (reset_batch_size). While the batch is pending, the memcg can
// be reparented: the race Peiyang He reported after the merge ("[BUG] mm: mglru: stale aging
// batch", fix posted 2026-06-22 as 20260622073703.79258-1-qi.zheng@linux.dev).

function getWalk(s: KernelState, e: Event): Walk {
  if (!s.walk) throw new EvolveError(e, 'no page-table walk is running');
  return s.walk;
}

/** walk_start: mem_cgroup_iter's css ref on the memcg, an empty batch for its lruvec on node a. */
export function walkStart(s: KernelState, e: Event): void {
  if (!s.mglru) throw new EvolveError(e, 'a page-table walk on a classic-LRU machine');
  if (s.walk) throw new EvolveError(e, `a walk of memcg ${s.walk.memcg} is already running`);
  const m = getMemcg(s, e.memcg);
  if (!s.nodes[e.a]) throw new EvolveError(e, `no node ${e.a}`);
  if (lruvecOf(m, e.a).lrugen.maxSeq !== e.b) throw new EvolveError(e, `max_seq of ${m.path} is not ${e.b}`);
  m.cssRefs++;
  setWalkBatched(lruvecOf(m, e.a).lrugen, true);
  s.walk = { memcg: m.id, nid: e.a, home: m.id, seq: e.b, delta: new Array<number>(MAX_NR_GENS * ANON_AND_FILE).fill(0) };
}

/**
 * gen_update with b = batched (update_batch_size): the folio's flags gen changes now, its size
 * moves in walk->nr_pages. get_pfn_folio() only hands the walk folios of its own memcg and node.
 */
export function batchGenUpdate(s: KernelState, e: Event, oldGen: number, newGen: number): void {
  const w = getWalk(s, e);
  const f = getFolio(s, e.folio);
  if (folioMemcgId(s, f) !== w.memcg || folioNid(f) !== w.nid)
    throw new EvolveError(e, `folio ${f.id} is not on the lruvec the walk of memcg ${w.memcg} covers`);
  const type = folioType(f);
  w.delta[lruGenIndex(oldGen, type)]--;
  w.delta[lruGenIndex(newGen, type)]++;
}

/** reset_batch_size(): the batch written into the lruvec of e.memcg (the walk's home) on its node. */
export function walkFlush(s: KernelState, e: Event): void {
  const w = getWalk(s, e);
  if (e.memcg !== w.home || e.a !== w.nid) throw new EvolveError(e, `the walk's batch lands in memcg ${w.home} node ${w.nid}`);
  const lv = lruvecOf(getMemcg(s, w.home), w.nid);
  setWalkBatched(lv.lrugen, false);
  for (let type = 0; type < ANON_AND_FILE; type++) {
    for (let gen = 0; gen < MAX_NR_GENS; gen++) {
      const i = lruGenIndex(gen, type);
      const d = w.delta[i];
      if (!d) continue;
      w.delta[i] = 0;
      lv.lrugen.nrPages[i] += d;
      lv.size[genClassicList(lv.lrugen, type, gen)] += d; // __update_lru_size by lru_gen_is_active at flush time
    }
  }
}

/** The fix: lrugen->reparented makes lock_batch_lruvec() write the pending batch into the parent. */
export function walkForward(s: KernelState, e: Event): void {
  const w = getWalk(s, e);
  if (w.home !== e.memcg) throw new EvolveError(e, `the walk's batch lands in memcg ${w.home}, not ${e.memcg}`);
  if (s.reparentLocked.get(e.memcg) !== e.a) throw new EvolveError(e, 'walk_forward outside the reparent of that child');
  setWalkBatched(lruvecOf(getMemcg(s, w.home), w.nid).lrugen, false);
  w.home = e.a;
  setWalkBatched(lruvecOf(getMemcg(s, w.home), w.nid).lrugen, true);
}

/** The walk is over: its batch was flushed; the css ref drops (the decider frees a memcg it was the last pin of). */
export function walkEnd(s: KernelState, e: Event): void {
  const w = getWalk(s, e);
  if (e.memcg !== w.memcg || e.a !== w.nid) throw new EvolveError(e, `the walk running is of memcg ${w.memcg} node ${w.nid}`);
  if (w.delta.some((d) => d !== 0)) throw new EvolveError(e, 'the walk ends with its batch not flushed');
  getMemcg(s, w.memcg).cssRefs--;
  s.walk = null;
}
