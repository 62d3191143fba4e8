import { LRU_ACTIVE, LRU_UNEVICTABLE, NR_LRU_LISTS } from './constants.js';
import {
  EventType, FOLIO_ACTIVE, FOLIO_FILE, FOLIO_MAPPED, FOLIO_REFERENCED, FOLIO_WORKINGSET,
  LIMIT_HIGH, LIMIT_MAX, MACHINE_MGLRU, MACHINE_OBJCG, REFAULT_RECENT, REFAULT_WORKINGSET,
  type Event,
} from './events.js';
import { listDel, listAdd, listSpliceTail } from './list.js';
import { ageNonresident, lruvecAddFolio, lruvecDelFolio } from './lru.js';
import { SIZE_STATS, Stat } from './stat.js';
import {
  MEMCG_DYING, MEMCG_FREED, MEMCG_ONLINE, folioLruList, folioMemcg, getFolio, getMemcg, newMemcg,
  type Folio, type KernelState, type Memcg,
} from './state.js';

/** A transition the kernel would not make: the event does not fit the state it is applied to. */
export class EvolveError extends Error {
  constructor(public readonly event: Event, message: string) {
    super(`event seq ${event.seq}: ${message}`);
  }
}

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
      s.memoryPages = e.a;
      s.mglru = (e.b & MACHINE_MGLRU) !== 0;
      s.objcgCharging = (e.b & MACHINE_OBJCG) !== 0;
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
      const f = getFolio(s, e.folio);
      f.referenced = true;
      f.lastAccess = s.tick;
      return;
    }
    case EventType.activate: {
      // folio_activate() from folio_mark_accessed(), or activate_locked in reclaim.
      const f = getFolio(s, e.folio);
      if (f.active) throw new EvolveError(e, `folio ${f.id} is already active`);
      const m = folioMemcg(s, f);
      lruvecDelFolio(m, f);
      f.active = true;
      f.referenced = false;
      lruvecAddFolio(m, f);
      m.stat[Stat.pgactivate]++;
      ageNonresident(s, m, 1); // workingset_activation()
      return;
    }
    case EventType.deactivate: {
      // shrink_active_list(): PG_active cleared, PG_workingset set, to the inactive head.
      const f = getFolio(s, e.folio);
      if (!f.active) throw new EvolveError(e, `folio ${f.id} is not active`);
      const m = folioMemcg(s, f);
      lruvecDelFolio(m, f);
      f.active = false;
      f.workingset = true;
      lruvecAddFolio(m, f);
      m.stat[Stat.pgdeactivate]++;
      return;
    }
    case EventType.rotate: {
      const f = getFolio(s, e.folio);
      const l = folioMemcg(s, f).lruvec.lists[folioLruList(f)];
      listDel(l, f);
      listAdd(l, f);
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
    case EventType.splice: return splice(s, e);
    case EventType.reparent_locks:
      if (s.reparentLocked.has(e.memcg)) throw new EvolveError(e, `memcg ${e.memcg} is already locked`);
      s.reparentLocked.set(e.memcg, e.a);
      return;
    case EventType.reparent_unlocks:
      if (s.reparentLocked.get(e.memcg) !== e.a) throw new EvolveError(e, `memcg ${e.memcg} is not locked`);
      s.reparentLocked.delete(e.memcg);
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
    default:
      throw new EvolveError(e, `unknown event type ${e.type as number}`);
  }
}

function memcgCreate(s: KernelState, e: Event): void {
  if (s.memcgs.has(e.memcg) || s.freed.has(e.memcg)) throw new EvolveError(e, `memcg id ${e.memcg} is taken`);
  const parent = getMemcg(s, e.a);
  if (parent.state !== MEMCG_ONLINE) throw new EvolveError(e, `parent ${parent.path} is not online`);
  const name = e.data ?? '';
  const m = newMemcg(e.memcg, parent.id, name, parent.path === '/' ? `/${name}` : `${parent.path}/${name}`, s.tick);
  // mem_cgroup_css_online(): obj_cgroup_alloc(), memcg->objcg.
  const objcg = s.nextObjcg++;
  s.objcgs.set(objcg, { id: objcg, memcg: m.id, nrAnon: 0, nrFile: 0, dead: false });
  m.objcg = objcg;
  s.memcgs.set(m.id, m);
  if (m.id >= s.nextMemcg) s.nextMemcg = m.id + 1;
  parent.children.push(m.id);
  for (let x: Memcg | undefined = parent; x; x = s.memcgs.get(x.parent)) x.nrDescendants++;
}

function memcgOffline(s: KernelState, e: Event): void {
  const m = getMemcg(s, e.memcg);
  if (m.state !== MEMCG_ONLINE) throw new EvolveError(e, `${m.path} is not online`);
  if (m.nrTasks > 0) throw new EvolveError(e, `${m.path} still has ${m.nrTasks} tasks (EBUSY)`);
  if (m.children.some((c) => getMemcg(s, c).state === MEMCG_ONLINE)) {
    throw new EvolveError(e, `${m.path} has online children (EBUSY)`);
  }
  // cgroup_destroy_locked(): nr_descendants--, nr_dying_descendants++ on every ancestor;
  // mem_cgroup_css_offline() then drops the online ID ref.
  m.state = MEMCG_DYING;
  m.offlineTick = s.tick;
  m.cssRefs--;
  for (let x = s.memcgs.get(m.parent); x; x = s.memcgs.get(x.parent)) {
    x.nrDescendants--;
    x.nrDyingDescendants++;
  }
}

function memcgFree(s: KernelState, e: Event): void {
  const m = getMemcg(s, e.memcg);
  if (m.state !== MEMCG_DYING) throw new EvolveError(e, `${m.path} is not dying`);
  if (m.cssRefs !== 0) throw new EvolveError(e, `${m.path} still has ${m.cssRefs} css refs`);
  if (m.children.length) throw new EvolveError(e, `${m.path} still has children`);
  if (m.objcg || m.objcgList.length) throw new EvolveError(e, `${m.path} still has objcgs`);
  for (let l = 0; l < NR_LRU_LISTS; l++) {
    if (m.lruvec.size[l] !== 0) throw new EvolveError(e, `${m.path} lru ${l} is not empty`);
  }
  const parent = getMemcg(s, m.parent);
  // rstat: the dead memcg's event counts live on in its parent's hierarchical view.
  for (let i = 0; i < m.stat.length; i++) if (!SIZE_STATS.includes(i)) parent.stat[i] += m.stat[i];
  parent.children.splice(parent.children.indexOf(m.id), 1);
  for (let x: Memcg | undefined = parent; x; x = s.memcgs.get(x.parent)) x.nrDyingDescendants--;
  m.state = MEMCG_FREED;
  s.memcgs.delete(m.id);
  s.freed.set(m.id, { id: m.id, parent: m.parent, path: m.path, createdTick: m.createdTick, offlineTick: m.offlineTick });
}

/** __memcg_reparent_objcgs(): the active objcg and every inherited one now point at the parent. */
function objcgReparent(s: KernelState, e: Event): void {
  const child = getMemcg(s, e.memcg);
  const parent = getMemcg(s, e.a);
  if (child.state === MEMCG_ONLINE) throw new EvolveError(e, `${child.path} is still online`);
  if (child.objcg) {
    s.objcgs.get(child.objcg)!.dead = true; // percpu_ref_kill()
    child.objcgList.push(child.objcg);
    child.objcg = 0;
  }
  for (const id of child.objcgList) {
    const o = s.objcgs.get(id)!;
    o.memcg = parent.id;
    // Charges stay where they are in the hierarchy (the parent already counts them); the
    // child's own counter and local sizes give them up.
    child.memory -= o.nrAnon + o.nrFile;
    child.stat[Stat.anon] -= o.nrAnon;
    child.stat[Stat.file] -= o.nrFile;
    parent.stat[Stat.anon] += o.nrAnon;
    parent.stat[Stat.file] += o.nrFile;
  }
  parent.objcgList.push(...child.objcgList);
  child.objcgList = [];
}

function objcgRelease(s: KernelState, e: Event): void {
  const o = s.objcgs.get(e.a);
  if (!o) throw new EvolveError(e, `no objcg ${e.a}`);
  if (!o.dead || o.nrAnon + o.nrFile > 0) throw new EvolveError(e, `objcg ${o.id} is still in use`);
  const m = getMemcg(s, o.memcg);
  m.objcgList.splice(m.objcgList.indexOf(o.id), 1);
  s.objcgs.delete(o.id);
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
    lastAccess: s.tick, prev: null, next: null,
  };
  // charge_memcg(): the page counter of the memcg and every ancestor, then the folio's ref.
  for (let x: Memcg | undefined = m; x; x = s.memcgs.get(x.parent)) x.memory++;
  if (s.objcgCharging) {
    const o = s.objcgs.get(m.objcg)!;
    if (file) o.nrFile++;
    else o.nrAnon++;
  } else m.cssRefs++;
  m.stat[file ? Stat.file : Stat.anon]++;
  s.folios.set(f.id, f);
  if (f.id >= s.nextFolio) s.nextFolio = f.id + 1;
  if (file) {
    s.pageCache.set(f.key, f.id);
    s.shadows.delete(f.key); // the shadow entry is replaced by the folio
  }
  lruvecAddFolio(m, f);
}

/** Uncharge and free: lruvec_del_folio, the page counters, the folio's memcg or objcg ref. */
function freeFolio(s: KernelState, f: Folio): Memcg {
  const m = folioMemcg(s, f);
  lruvecDelFolio(m, f);
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
  if (s.memcgs.get(e.memcg)?.state === MEMCG_FREED || !s.memcgs.has(e.memcg)) {
    throw new EvolveError(e, `reclaim target ${e.memcg} is not live`);
  }
  const target = getMemcg(s, e.memcg);
  const m = freeFolio(s, f);
  m.stat[Stat.pgsteal]++;
  if (f.file) {
    // workingset_eviction(): the shadow names the reclaim target's lruvec, then ages it.
    s.shadows.set(f.key, { eviction: target.lruvec.nonresidentAge, memcg: target.id, workingset: f.workingset });
    ageNonresident(s, target, 1);
  }
}

function refault(s: KernelState, e: Event): void {
  const f = getFolio(s, e.folio);
  const m = folioMemcg(s, f);
  m.stat[f.file ? Stat.workingset_refault_file : Stat.workingset_refault_anon]++;
  if (e.a & REFAULT_RECENT) {
    m.stat[f.file ? Stat.workingset_activate_file : Stat.workingset_activate_anon]++;
    ageNonresident(s, m, 1);
    if (e.a & REFAULT_WORKINGSET) m.stat[f.file ? Stat.workingset_restore_file : Stat.workingset_restore_anon]++;
  }
}

function splice(s: KernelState, e: Event): void {
  // lru_reparent_memcg(): list_splice_tail_init() onto the parent's same list, sizes moved.
  const child = getMemcg(s, e.memcg);
  const parent = getMemcg(s, e.a);
  if (s.reparentLocked.get(child.id) !== parent.id) throw new EvolveError(e, 'splice without reparent_locks');
  const lru = e.b;
  if (lru < 0 || lru >= NR_LRU_LISTS) throw new EvolveError(e, `bad lru ${lru}`);
  if (lru !== LRU_UNEVICTABLE) listSpliceTail(child.lruvec.lists[lru], parent.lruvec.lists[lru]);
  parent.lruvec.size[lru] += child.lruvec.size[lru];
  child.lruvec.size[lru] = 0;
}

