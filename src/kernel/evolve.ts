export { EvolveError } from './evolve_error.js';
import { lruGenIndex, tierIndex } from './mmzone.js';
import { ANON_AND_FILE, LRU_ACTIVE, LRU_GEN_ANON, LRU_GEN_FILE, MAX_NR_GENS, MIN_NR_GENS, ROOT_MEMCG } from './constants.js';
import {
  EventType, FOLIO_ACTIVE, FOLIO_FILE, FOLIO_MAPPED, FOLIO_REFERENCED, FOLIO_WORKINGSET,
  LIMIT_HIGH, LIMIT_MAX, MACHINE_MGLRU, MACHINE_OBJCG, REFAULT_ACTIVATE, REFAULT_RECENT, REFAULT_WORKINGSET,
  SORT_PROMOTED, SORT_PROTECTED, type Event,
} from './events.js';
import { ageNonresident, lruvecAddFolio, lruvecDelFolio } from './lru.js';
import {
  folioIncGen, folioLruRefs, folioType, getNrGens, incMaxSeq, incMinSeq, lruGenFromSeq, lruGenIncRefs,
  lruGenMove, lruGenUpdateSize, lruTierFromRefs, workingsetLazilyPromoted,
} from './lru_gen.js';
import { memcgLruOnline, memcgLruRotate } from './memcg_lru.js';
import { EVENT_NID, folioLruvec, folioNid, lruvecOf, nodeData } from './node.js';
import { EvolveError } from './evolve_error.js';
import { memcgCreate, memcgFree, memcgOffline, objcgRelease, objcgReparent } from './evolve_memcg.js';
import { noteEvictionOrder } from './eviction_order.js';
import { splice } from './reparent.js';
import { Stat } from './stat.js';
import { MEMCG_ONLINE, folioMemcg, getFolio, getMemcg, type Folio, type KernelState, type Memcg } from './state.js';

/**
 * The only code that mutates kernel state. Total over valid events and free of choices: every
 * decision was taken by a decider before the event was written, so running and replaying agree.
 */
export function evolve(s: KernelState, e: Event): void {
  if (e.seq !== s.seq + 1) throw new EvolveError(e, `expected seq ${s.seq + 1}`);
  if (e.tick < s.tick) throw new EvolveError(e, `tick went back from ${s.tick} to ${e.tick}`);
  s.seq = e.seq;
  s.tick = e.tick;
  switch (e.type) {
    case EventType.machine:
      if (s.memoryPages || s.folios.size || s.memcgs.size > 1) throw new EvolveError(e, 'the machine is already set up');
      s.memoryPages = e.a;
      s.mglru = (e.b & MACHINE_MGLRU) !== 0;
      s.objcgCharging = (e.b & MACHINE_OBJCG) !== 0;
      if (s.mglru) for (const pgdat of s.nodes) memcgLruOnline(pgdat, s.memcgs.get(ROOT_MEMCG)!, 0); // the root comes online first, bin 0
      return;
    case EventType.memcg_create: return memcgCreate(s, e);
    case EventType.memcg_offline: return memcgOffline(s, e);
    case EventType.memcg_free: return memcgFree(s, e);
    case EventType.objcg_reparent: return objcgReparent(s, e);
    case EventType.objcg_release: return objcgRelease(s, e);
    case EventType.charge: return charge(s, e);
    case EventType.uncharge:
      freeFolio(s, getFolio(s, e.folio));
      return;
    case EventType.evict: return evict(s, e);
    case EventType.refault: return refault(s, e);
    case EventType.access: {
      // A mapped folio gets its PTE accessed bit; an fd access is folio_mark_accessed(), whose
      // classic half (activation) the decider emits as its own event.
      const f = getFolio(s, e.folio);
      if (f.mapped) f.young = true;
      else if (s.mglru) lruGenIncRefs(f);
      else f.referenced = true;
      f.lastAccess = s.tick;
      return;
    }
    case EventType.activate: {
      // folio_activate() from folio_mark_accessed(), or activate_locked in reclaim.
      const f = classicFolio(s, e);
      if (f.active) throw new EvolveError(e, `folio ${f.id} is already active`);
      const m = folioMemcg(s, f);
      const lv = lruvecOf(m, folioNid(f));
      lruvecDelFolio(s, lv, f);
      f.active = true;
      f.referenced = false;
      lruvecAddFolio(s, lv, f);
      m.stat[Stat.pgactivate]++;
      ageNonresident(s, m, folioNid(f), 1); // workingset_activation()
      return;
    }
    case EventType.deactivate: {
      // shrink_active_list(): PG_active cleared, PG_workingset set, to the inactive head.
      const f = classicFolio(s, e);
      if (!f.active) throw new EvolveError(e, `folio ${f.id} is not active`);
      const m = folioMemcg(s, f);
      const lv = lruvecOf(m, folioNid(f));
      lruvecDelFolio(s, lv, f);
      f.active = false;
      f.workingset = true;
      lruvecAddFolio(s, lv, f);
      m.stat[Stat.pgdeactivate]++;
      return;
    }
    case EventType.scan: {
      const m = getMemcg(s, e.memcg);
      m.stat[(e.a & LRU_ACTIVE) !== 0 ? Stat.pgrefill : Stat.pgscan] += e.b;
      return;
    }
    case EventType.reclaim_begin:
      s.reclaims++;
      return;
    case EventType.reclaim_end:
      s.lruvecsScanned += e.a;
      return;
    case EventType.splice:
      try {
        splice(s, e.memcg, e.a, e.b);
      } catch (err) {
        throw new EvolveError(e, (err as Error).message);
      }
      return;
    case EventType.reparent_locks:
      if (s.reparentLocked.has(e.memcg)) throw new EvolveError(e, `memcg ${e.memcg} is already locked`);
      s.reparentLocked.set(e.memcg, e.a);
      return;
    case EventType.reparent_unlocks:
      if (s.reparentLocked.get(e.memcg) !== e.a) throw new EvolveError(e, `memcg ${e.memcg} is not locked`);
      s.reparentLocked.delete(e.memcg);
      if (e.b) s.lab.reparentRetries++;
      return;
    case EventType.job_start:
      getMemcg(s, e.memcg).nrTasks++;
      return;
    case EventType.job_exit: {
      const m = getMemcg(s, e.memcg);
      if (m.nrTasks === 0) throw new EvolveError(e, `memcg ${m.path} has no task to exit`);
      m.nrTasks--;
      return;
    }
    case EventType.cycle:
      s.cycle = e.a;
      return;
    case EventType.limit_set: {
      const m = getMemcg(s, e.memcg);
      if (e.a === LIMIT_MAX) m.max = e.b;
      else if (e.a === LIMIT_HIGH) m.high = e.b;
      else throw new EvolveError(e, `unknown limit ${e.a}`);
      return;
    }
    case EventType.age: {
      // inc_max_seq() under one lru_lock hold: a type at MAX_NR_GENS first gives up its oldest
      // gen (inc_min_seq; its folios move up only if the type is evictable), then max_seq++.
      const lv = lruvecOf(mglruMemcg(s, e), EVENT_NID);
      for (let t = 0; t < ANON_AND_FILE; t++) {
        if (getNrGens(lv.lrugen, t) === MAX_NR_GENS) incMinSeq(lv, t, (e.a & (1 << t)) !== 0);
      }
      incMaxSeq(lv, s.tick);
      return;
    }
    case EventType.inc_min_seq: {
      // try_to_inc_min_seq(): only an empty oldest gen goes, and MIN_NR_GENS always stay.
      const m = mglruMemcg(s, e);
      const lv = lruvecOf(m, EVENT_NID);
      const g = lv.lrugen;
      if (e.a !== LRU_GEN_ANON && e.a !== LRU_GEN_FILE) throw new EvolveError(e, `bad type ${e.a}`);
      if (getNrGens(g, e.a) <= MIN_NR_GENS) throw new EvolveError(e, `${m.path}: type ${e.a} has only ${MIN_NR_GENS} gens`);
      if (g.lists[lruGenIndex(lruGenFromSeq(g.minSeq[e.a]), e.a)].count) throw new EvolveError(e, `${m.path}: the oldest gen of type ${e.a} is not empty`);
      incMinSeq(lv, e.a, true);
      return;
    }
    case EventType.gen_update: {
      // folio_update_gen(): a young PTE promotes only on the second chance (referenced or
      // workingset already); the folio stays on its list until sort_folio moves it.
      const f = getFolio(s, e.folio);
      if (!s.mglru || f.gen < 0) throw new EvolveError(e, `folio ${f.id} is not on an MGLRU list`);
      f.young = false;
      if (!f.referenced && !f.workingset) {
        f.referenced = true;
        f.refs = 0;
        return;
      }
      const old = f.gen;
      f.gen = e.a % MAX_NR_GENS;
      f.referenced = false;
      f.refs = 0;
      f.workingset = true;
      lruGenUpdateSize(folioLruvec(s, f), folioType(f), old, f.gen);
      return;
    }
    case EventType.sort: {
      const f = getFolio(s, e.folio);
      const lv = folioLruvec(s, f);
      const g = lv.lrugen;
      const type = folioType(f);
      if (!s.mglru || f.gen < 0) throw new EvolveError(e, `folio ${f.id} is not on an MGLRU list`);
      // sort_folio() only sees folios on the oldest generation's list
      if (f.list !== lruGenIndex(lruGenFromSeq(g.minSeq[type]), type)) throw new EvolveError(e, `folio ${f.id} is not on the oldest gen's list`);
      if (e.a === SORT_PROMOTED) {
        if (f.gen === lruGenFromSeq(g.minSeq[type])) throw new EvolveError(e, `folio ${f.id} was not promoted`);
        lruGenMove(lv, f, lruGenIndex(f.gen, type), false);
      } else if (e.a === SORT_PROTECTED) {
        const refs = folioLruRefs(f);
        const ws = f.workingset;
        const gen = folioIncGen(lv, f);
        lruGenMove(lv, f, lruGenIndex(gen, type), false);
        if (!workingsetLazilyPromoted(refs, ws)) g.protected[tierIndex(type, lruTierFromRefs(refs, ws))]++;
      } else throw new EvolveError(e, `bad sort reason ${e.a}`);
      return;
    }
    case EventType.memcg_lru_rotate:
      memcgLruRotate(nodeData(s, EVENT_NID), mglruMemcg(s, e), e.a, e.b);
      return;
    case EventType.shadow_reclaim: {
      // The oldest shadows go first (Map order is eviction order, which only the log decides).
      if (e.a <= 0 || e.a > s.shadows.size) throw new EvolveError(e, `cannot drop ${e.a} of ${s.shadows.size} shadow entries`);
      let n = e.a;
      for (const key of s.shadows.keys()) {
        s.shadows.delete(key);
        if (--n === 0) break;
      }
      return;
    }
    default:
      throw new EvolveError(e, `unknown event type ${e.type as number}`);
  }
}

function classicFolio(s: KernelState, e: Event): Folio {
  if (s.mglru) throw new EvolveError(e, 'a classic-LRU move on an MGLRU machine');
  return getFolio(s, e.folio);
}

function mglruMemcg(s: KernelState, e: Event): Memcg {
  if (!s.mglru) throw new EvolveError(e, 'an MGLRU event on a classic-LRU machine');
  return getMemcg(s, e.memcg);
}

function charge(s: KernelState, e: Event): void {
  const m = getMemcg(s, e.memcg);
  if (m.state !== MEMCG_ONLINE) throw new EvolveError(e, `charge to ${m.path}, which is not online`);
  if (s.folios.has(e.folio)) throw new EvolveError(e, `folio ${e.folio} exists`);
  const file = (e.a & FOLIO_FILE) !== 0;
  if (file && s.pageCache.has(e.b)) throw new EvolveError(e, `page-cache key ${e.b} is already cached`);
  const f: Folio = {
    id: e.folio, file, key: file ? e.b : -1, owner: s.objcgCharging ? m.objcg : m.id,
    active: (e.a & FOLIO_ACTIVE) !== 0, referenced: (e.a & FOLIO_REFERENCED) !== 0,
    workingset: (e.a & FOLIO_WORKINGSET) !== 0, mapped: (e.a & FOLIO_MAPPED) !== 0,
    young: (e.a & FOLIO_MAPPED) !== 0, gen: -1, refs: 0, list: -1, lastAccess: s.tick, prev: null, next: null,
  };
  // charge_memcg(): the page counter of the memcg and every ancestor, then the folio's ref.
  for (let x: Memcg | undefined = m; x; x = s.memcgs.get(x.parent)) x.memory++;
  if (s.objcgCharging) {
    const o = s.objcgs.get(m.objcg)!;
    if (file) o.nrFile++;
    else o.nrAnon++;
  } else m.cssRefs++;
  m.stat[file ? Stat.file : Stat.anon]++;
  if (f.mapped) m.stat[Stat.pgfault]++; // a mapped folio arrives by a page fault
  s.folios.set(f.id, f);
  if (f.id >= s.nextFolio) s.nextFolio = f.id + 1;
  if (file) {
    s.pageCache.set(f.key, f.id);
    if (s.shadows.delete(f.key)) s.lab.shadowHits++; // the shadow entry is replaced by the folio
  }
  lruvecAddFolio(s, lruvecOf(m, folioNid(f)), f);
}

/** Uncharge and free: lruvec_del_folio, the page counters, the folio's memcg or objcg ref. */
function freeFolio(s: KernelState, f: Folio, reclaiming = false): Memcg {
  const m = folioMemcg(s, f);
  lruvecDelFolio(s, lruvecOf(m, folioNid(f)), f, reclaiming);
  for (let x: Memcg | undefined = m; x; x = s.memcgs.get(x.parent)) x.memory--;
  m.stat[f.file ? Stat.file : Stat.anon]--;
  if (s.objcgCharging) {
    const o = s.objcgs.get(f.owner)!;
    if (f.file) o.nrFile--;
    else o.nrAnon--;
  } else m.cssRefs--;
  if (f.file) s.pageCache.delete(f.key);
  s.folios.delete(f.id);
  return m;
}

function evict(s: KernelState, e: Event): void {
  const f = getFolio(s, e.folio);
  const target = s.memcgs.get(e.memcg);
  if (!target) throw new EvolveError(e, `reclaim target ${e.memcg} is not live`);
  noteEvictionOrder(s, f);
  if (s.mglru) {
    // lru_gen_eviction(): the token is the folio's own lruvec's min_seq and its refs.
    const m = folioMemcg(s, f);
    const g = lruvecOf(m, folioNid(f)).lrugen;
    const type = folioType(f);
    const refs = folioLruRefs(f);
    const shadow = { eviction: g.minSeq[type], memcg: m.id, workingset: f.workingset, refs: Math.max(refs - 1, 0) };
    g.evicted[tierIndex(type, lruTierFromRefs(refs, f.workingset))]++;
    freeFolio(s, f, true);
    m.stat[Stat.pgsteal]++;
    if (f.file) s.shadows.set(f.key, shadow);
    return;
  }
  const m = freeFolio(s, f, true);
  m.stat[Stat.pgsteal]++;
  if (f.file) {
    // workingset_eviction(): the shadow names the reclaim target's lruvec, then ages it.
    const nid = folioNid(f);
    s.shadows.set(f.key, { eviction: lruvecOf(target, nid).nonresidentAge, memcg: target.id, workingset: f.workingset, refs: 0 });
    ageNonresident(s, target, nid, 1);
  }
}


function refault(s: KernelState, e: Event): void {
  const f = getFolio(s, e.folio);
  const m = folioMemcg(s, f);
  m.stat[f.file ? Stat.workingset_refault_file : Stat.workingset_refault_anon]++;
  if (s.mglru) {
    // lru_gen_refault(): only reached when the shadow's lruvec is the folio's own.
    if (!(e.a & REFAULT_RECENT)) return;
    const g = lruvecOf(m, folioNid(f)).lrugen;
    const refs = e.b + 1;
    const ws = (e.a & REFAULT_WORKINGSET) !== 0;
    g.refaulted[tierIndex(folioType(f), lruTierFromRefs(refs, ws))]++;
    if (e.a & REFAULT_ACTIVATE) m.stat[f.file ? Stat.workingset_activate_file : Stat.workingset_activate_anon]++;
    if (ws) m.stat[f.file ? Stat.workingset_restore_file : Stat.workingset_restore_anon]++;
    else f.refs = e.b; // the refs bits come back (PG_referenced does not)
    return;
  }
  if (e.a & REFAULT_RECENT) {
    m.stat[f.file ? Stat.workingset_activate_file : Stat.workingset_activate_anon]++;
    ageNonresident(s, m, folioNid(f), 1);
    if (e.a & REFAULT_WORKINGSET) m.stat[f.file ? Stat.workingset_restore_file : Stat.workingset_restore_anon]++;
  }
}
