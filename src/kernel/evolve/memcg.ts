import { NR_LRU_LISTS } from '../constants.js';
import type { Event } from '../events.js';
import { MEMCG_LRU_OLD, memcgLruOnline, memcgLruRelease, memcgLruRotate } from '../memcg_lru.js';
import { lruvecOf } from '../node.js';
import { SIZE_STATS, Stat } from '../stat.js';
import { getMemcg, type KernelState, MEMCG_DYING, MEMCG_FREED, MEMCG_ONLINE, type Memcg, newMemcg } from '../state.js';
import { EvolveError } from './error.js';
import { dropSplitQueue } from './split_queue.js';
import { memcgIdPut } from './swap.js';
import { invalidateReclaimIterators } from './vm.js';

// evolve() for the memcg lifecycle: mkdir, rmdir (offline), free, and the objcgs that outlive them.

export function memcgCreate(s: KernelState, e: Event): void {
  // memcg ids are never reused within a run: a new one is above every id handed out so far
  if (e.memcg < s.nextMemcg) throw new EvolveError(e, `memcg id ${e.memcg} was already used (next free id is ${s.nextMemcg})`);
  const parent = getMemcg(s, e.a);
  if (parent.state !== MEMCG_ONLINE) throw new EvolveError(e, `parent ${parent.path} is not online`);
  const name = e.data ?? '';
  const m = newMemcg(e.memcg, parent.id, name, parent.path === '/' ? `/${name}` : `${parent.path}/${name}`, s.tick, s.nodes.length);
  // mem_cgroup_css_online(): one obj_cgroup_alloc() per node (7.1, 01b9da291c49), pn->objcg.
  for (const pn of m.nodeinfo) {
    const objcg = s.nextObjcg++;
    s.objcgs.set(objcg, { id: objcg, memcg: m.id, nrAnon: 0, nrFile: 0, dead: false });
    pn.objcg = objcg;
  }
  s.memcgs.set(m.id, m);
  if (m.id >= s.nextMemcg) s.nextMemcg = m.id + 1;
  parent.children.push(m.id);
  for (let x: Memcg | undefined = parent; x; x = s.memcgs.get(x.parent)) x.nrDescendants++;
  // lru_gen_online_memcg() on every node; the event carries one bin, which every node uses
  if (s.mglru) for (const pgdat of s.nodes) memcgLruOnline(pgdat, m, e.b);
}

export function memcgOffline(s: KernelState, e: Event): void {
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
  memcgIdPut(m); // mem_cgroup_id_put(): swap entries may still hold the ID (and through it the css)
  for (let x = s.memcgs.get(m.parent); x; x = s.memcgs.get(x.parent)) {
    x.nrDescendants--;
    x.nrDyingDescendants++;
  }
  // lru_gen_offline_memcg(): to the head of the old gen on every node, so it is reclaimed first
  if (s.mglru) for (const pgdat of s.nodes) memcgLruRotate(pgdat, m, MEMCG_LRU_OLD, e.b);
}

export function memcgFree(s: KernelState, e: Event): void {
  const m = getMemcg(s, e.memcg);
  if (m.state !== MEMCG_DYING) throw new EvolveError(e, `${m.path} is not dying`);
  if (m.cssRefs !== 0) throw new EvolveError(e, `${m.path} still has ${m.cssRefs} css refs`);
  if (m.idRef !== 0 || m.swap !== 0) throw new EvolveError(e, `${m.path} still has its ID (${m.idRef} refs, ${m.swap} swap pages)`);
  if (m.children.length) throw new EvolveError(e, `${m.path} still has children`);
  if (m.nodeinfo.some((pn) => pn.objcg || pn.objcgList.length)) throw new EvolveError(e, `${m.path} still has objcgs`);
  if (m.stock) throw new EvolveError(e, `${m.path} still has ${m.stock} pages in its charge stock`);
  for (const [nid, { lruvec }] of m.nodeinfo.entries()) {
    for (let l = 0; l < NR_LRU_LISTS; l++) if (lruvec.lists[l].count) throw new EvolveError(e, `${m.path} lru ${l} is not empty`);
    // Nothing checks the LRU size counters at css_free; they are hierarchical, so what a bug left
    // in the child's stays in the parent's (policyOptions.bug stale-active-stats; the size
    // invariant has already named the event that made them stale).
    const plv = lruvecOf(getMemcg(s, m.parent), nid);
    for (let l = 0; l < NR_LRU_LISTS; l++) plv.size[l] += lruvec.size[l];
    // lru_gen_exit_memcg() only WARNs on nr_pages left (a stale walk batch, machine.concurrency)
    // and frees them; the nr_pages invariant has named the event that made them stale.
  }
  if (s.mglru) for (const pgdat of s.nodes) memcgLruRelease(pgdat, m);
  invalidateReclaimIterators(s, m);
  const parent = getMemcg(s, m.parent);
  // rstat: the dead memcg's event counts live on in its parent's hierarchical view.
  for (let i = 0; i < m.stat.length; i++) if (!SIZE_STATS.includes(i)) parent.stat[i] += m.stat[i];
  m.nodeinfo.forEach((pn, nid) => {
    for (let k = 0; k < pn.lruvecStat.length; k++) parent.nodeinfo[nid].lruvecStat[k] += pn.lruvecStat[k];
  });
  parent.children.splice(parent.children.indexOf(m.id), 1);
  for (let x: Memcg | undefined = parent; x; x = s.memcgs.get(x.parent)) x.nrDyingDescendants--;
  m.state = MEMCG_FREED;
  dropSplitQueue(s, m.id);
  s.memcgs.delete(m.id); // gone from the state: its history is in the log (and the memcgs table)
}

/**
 * __memcg_reparent_objcgs(child, parent, nid): node b's active objcg and every inherited one of
 * that node now point at the parent and move to the parent's list of the same node.
 */
export function objcgReparent(s: KernelState, e: Event): void {
  const child = getMemcg(s, e.memcg);
  const parent = getMemcg(s, e.a);
  if (child.state === MEMCG_ONLINE) throw new EvolveError(e, `${child.path} is still online`);
  const cpn = child.nodeinfo[e.b];
  if (!cpn) throw new EvolveError(e, `no node ${e.b}`);
  const ppn = parent.nodeinfo[e.b];
  if (cpn.objcg) {
    s.objcgs.get(cpn.objcg)!.dead = true; // percpu_ref_kill()
    cpn.objcgList.push(cpn.objcg);
    cpn.objcg = 0;
  }
  for (const id of cpn.objcgList) {
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
  ppn.objcgList.push(...cpn.objcgList);
  cpn.objcgList = [];
}

export function objcgRelease(s: KernelState, e: Event): void {
  const o = s.objcgs.get(e.a);
  if (!o) throw new EvolveError(e, `no objcg ${e.a}`);
  if (!o.dead || o.nrAnon + o.nrFile > 0) throw new EvolveError(e, `objcg ${o.id} is still in use`);
  const m = getMemcg(s, o.memcg);
  const pn = m.nodeinfo.find((x) => x.objcgList.includes(o.id));
  if (!pn) throw new EvolveError(e, `objcg ${o.id} is on no objcg_list of ${m.path}`);
  pn.objcgList.splice(pn.objcgList.indexOf(o.id), 1);
  s.objcgs.delete(o.id);
}

/** kill_css(): the offline worker's css ref (css_get), held until offline_css_done. */
export function killCss(s: KernelState, e: Event): void {
  const m = getMemcg(s, e.memcg);
  if (m.state !== MEMCG_ONLINE) throw new EvolveError(e, `kill_css of ${m.path}, which is not online`);
  if (s.offlining) throw new EvolveError(e, `the offline of memcg ${s.offlining} is still running`);
  m.cssRefs++;
  s.offlining = m.id;
}

/** css_killed_work_fn(): after offline_css(), the ref kill_css() took is put. */
export function offlineCssDone(s: KernelState, e: Event): void {
  const m = getMemcg(s, e.memcg);
  if (m.state !== MEMCG_DYING) throw new EvolveError(e, `${m.path} ends its offline without being offline`);
  if (s.offlining !== m.id) throw new EvolveError(e, `no offline of ${m.path} is running`);
  m.cssRefs--;
  s.offlining = 0;
}
