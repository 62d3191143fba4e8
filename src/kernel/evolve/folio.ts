import {
  CHARGE_STOCKED,
  type Event,
  FOLIO_ACTIVE,
  FOLIO_DIRTY,
  FOLIO_FILE,
  FOLIO_MAPPED,
  FOLIO_REFERENCED,
  FOLIO_SHMEM,
  FOLIO_WORKINGSET,
  REFAULT_ACTIVATE,
  REFAULT_RECENT,
  REFAULT_WORKINGSET,
} from '../events.js';
import { ageNonresident, lruvecAddFolio, lruvecDelFolio } from '../lru.js';
import { folioType, lruGenIncRefs, lruTierFromRefs } from '../lru_gen.js';
import { tierIndex } from '../mmzone.js';
import { folioNid, lruvecOf, nidOf } from '../node.js';
import { folioSizeStat, NODE_EVENT_STATS, Stat } from '../stat.js';
import { type Folio, folioMemcg, getFolio, getMemcg, type KernelState, MEMCG_ONLINE, type Memcg } from '../state.js';
import { EvolveError } from './error.js';

// evolve() for a folio's life: charged and added to the LRU, accessed, refaulted, freed.

/** A folio as the charge event describes it (folio_alloc + the flags it arrives with). */
function newFolio(s: KernelState, e: Event, nid: number, owner: number): Folio {
  const file = (e.a & FOLIO_FILE) !== 0;
  return {
    id: e.folio,
    nid,
    file,
    shmem: (e.a & FOLIO_SHMEM) !== 0,
    key: file ? e.b : -1,
    owner,
    active: (e.a & FOLIO_ACTIVE) !== 0,
    referenced: (e.a & FOLIO_REFERENCED) !== 0,
    workingset: (e.a & FOLIO_WORKINGSET) !== 0,
    mapped: (e.a & FOLIO_MAPPED) !== 0,
    young: (e.a & FOLIO_MAPPED) !== 0,
    dirty: (e.a & FOLIO_DIRTY) !== 0,
    writeback: false,
    reclaim: false,
    swapcache: false,
    gen: -1,
    refs: 0,
    list: -1,
    lastAccess: s.tick,
    prev: null,
    next: null,
  };
}

/** mem_cgroup_charge() + the page cache or fault insertion + folio_add_lru(). */
export function charge(s: KernelState, e: Event): void {
  const m = getMemcg(s, e.memcg);
  if (m.state !== MEMCG_ONLINE) throw new EvolveError(e, `charge to ${m.path}, which is not online`);
  if (s.folios.has(e.folio)) throw new EvolveError(e, `folio ${e.folio} exists`);
  const nid = nidOf(e.a);
  const pn = m.nodeinfo[nid];
  if (!pn) throw new EvolveError(e, `no node ${nid}`);
  // the objcg of the folio's node (7.1 takes the charging CPU's node; the lab runs a job's CPU where its folios go)
  const f = newFolio(s, e, nid, s.objcgCharging ? pn.objcg : m.id);
  if (f.file && s.pageCache.has(e.b)) throw new EvolveError(e, `page-cache key ${e.b} is already cached`);
  if (f.dirty && !f.file) throw new EvolveError(e, 'a new anon folio is not dirty file cache');
  if (f.shmem && (f.file || f.mapped)) throw new EvolveError(e, 'a shmem folio (written to tmpfs) is neither on the file LRU nor mapped');
  // charge_memcg(): the page counter of the memcg and every ancestor, then the folio's ref;
  // a charge consume_stock() served was counted when the stock was refilled.
  if (e.a & CHARGE_STOCKED) {
    if (m.stock < 1) throw new EvolveError(e, `charge from the stock of ${m.path}, which is empty`);
    m.stock--;
    s.stockPages--;
  } else for (let x: Memcg | undefined = m; x; x = s.memcgs.get(x.parent)) x.memory++;
  if (s.objcgCharging) {
    const o = s.objcgs.get(pn.objcg)!;
    if (folioSizeStat(f) === Stat.file) o.nrFile++;
    else o.nrAnon++;
  } else m.cssRefs++;
  m.stat[folioSizeStat(f)]++;
  if (f.mapped) m.stat[Stat.pgfault]++; // a mapped folio arrives by a page fault
  s.folios.set(f.id, f);
  s.nodes[nid].nrFolios++;
  if (f.dirty) s.dirtyQueue.set(f.id, s.tick); // __folio_mark_dirty(): the inode goes on b_dirty
  if (f.id >= s.nextFolio) s.nextFolio = f.id + 1;
  if (f.file) {
    s.pageCache.set(f.key, f.id);
    if (s.shadows.delete(f.key)) s.lab.shadowHits++; // the shadow entry is replaced by the folio
  }
  lruvecAddFolio(s, lruvecOf(m, folioNid(f)), f);
}

export function uncharge(s: KernelState, e: Event): void {
  freeFolio(s, getFolio(s, e.folio));
}

/** Uncharge and free: lruvec_del_folio, the page counters, the folio's memcg or objcg ref. */
export function freeFolio(s: KernelState, f: Folio, reclaiming = false): Memcg {
  const m = folioMemcg(s, f);
  lruvecDelFolio(s, lruvecOf(m, folioNid(f)), f, reclaiming);
  for (let x: Memcg | undefined = m; x; x = s.memcgs.get(x.parent)) x.memory--;
  m.stat[folioSizeStat(f)]--;
  if (s.objcgCharging) {
    const o = s.objcgs.get(f.owner)!;
    if (folioSizeStat(f) === Stat.file) o.nrFile--;
    else o.nrAnon--;
  } else m.cssRefs--;
  if (f.file) s.pageCache.delete(f.key);
  s.dirtyQueue.delete(f.id);
  s.writebackQueue.delete(f.id);
  s.folios.delete(f.id);
  s.nodes[f.nid].nrFolios--;
  return m;
}

/**
 * A mapped folio gets its PTE accessed bit; an fd access is folio_mark_accessed(), whose classic
 * half (activation) the decider emits as its own event.
 */
export function access(s: KernelState, e: Event): void {
  const f = getFolio(s, e.folio);
  if (f.mapped) f.young = true;
  else if (s.mglru) lruGenIncRefs(f);
  else f.referenced = true;
  f.lastAccess = s.tick;
}

/** mod_lruvec_state(lruvec, item, 1) of a node_stat_item: the memcg's counter and its node's share. */
function nodeStatInc(m: Memcg, nid: number, item: number): void {
  m.stat[item]++;
  m.nodeinfo[nid].lruvecStat[NODE_EVENT_STATS.indexOf(item)]++;
}

/** workingset_refault(): the counters; under MGLRU (lru_gen_refault) the tier stats and refs. */
export function refault(s: KernelState, e: Event): void {
  const f = getFolio(s, e.folio);
  const m = folioMemcg(s, f);
  nodeStatInc(m, f.nid, f.file ? Stat.workingset_refault_file : Stat.workingset_refault_anon);
  if (s.mglru) return lruGenRefault(e, f, m);
  if (e.a & REFAULT_RECENT) {
    nodeStatInc(m, f.nid, f.file ? Stat.workingset_activate_file : Stat.workingset_activate_anon);
    ageNonresident(s, m, folioNid(f), 1);
    if (e.a & REFAULT_WORKINGSET) nodeStatInc(m, f.nid, f.file ? Stat.workingset_restore_file : Stat.workingset_restore_anon);
  }
}

/** lru_gen_refault(): only reached when the shadow's lruvec is the folio's own. */
function lruGenRefault(e: Event, f: Folio, m: Memcg): void {
  if (!(e.a & REFAULT_RECENT)) return;
  const g = lruvecOf(m, folioNid(f)).lrugen;
  const refs = e.b + 1;
  const ws = (e.a & REFAULT_WORKINGSET) !== 0;
  g.refaulted[tierIndex(folioType(f), lruTierFromRefs(refs, ws))]++;
  if (e.a & REFAULT_ACTIVATE) nodeStatInc(m, f.nid, f.file ? Stat.workingset_activate_file : Stat.workingset_activate_anon);
  if (ws) nodeStatInc(m, f.nid, f.file ? Stat.workingset_restore_file : Stat.workingset_restore_anon);
  else f.refs = e.b; // the refs bits come back (PG_referenced does not)
}
