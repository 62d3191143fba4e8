import { MAX_RECLAIM_RETRIES } from '../constants.js';
import {
  type Event,
  SYSCTL_IO_TICKS,
  SYSCTL_MIN_FREE_KBYTES,
  SYSCTL_SWAP_PAGES,
  SYSCTL_SWAPPINESS,
  SYSCTL_WATERMARK_SCALE_FACTOR,
  SYSCTL_WRITEBACK_TICKS,
} from '../events.js';
import { lruvecOf, nidOf, nodeData, withoutNid } from '../node.js';
import { Stat } from '../stat.js';
import { getMemcg, type KernelState, type Memcg } from '../state.js';
import { subtree } from '../tree.js';
import { EvolveError } from './error.js';

// evolve() for the vm knobs, kswapd, the reclaim iterator and the reclaim-cost bookkeeping.

/** A sysctl write (or swapon), only before any folio exists: reclaim reads these from the start. */
export function sysctl(s: KernelState, e: Event): void {
  if (s.folios.size || s.swapEntries.size) throw new EvolveError(e, 'sysctls are set before the workload runs');
  if (e.b < 0) throw new EvolveError(e, `negative value ${e.b}`);
  const vm = s.vm;
  switch (e.a) {
    case SYSCTL_SWAP_PAGES:
      vm.swapPages = e.b;
      break;
    case SYSCTL_SWAPPINESS:
      if (e.b > 200) throw new EvolveError(e, `swappiness ${e.b} is above MAX_SWAPPINESS`);
      vm.swappiness = e.b;
      break;
    case SYSCTL_MIN_FREE_KBYTES:
      vm.minFreeKbytes = e.b;
      break;
    case SYSCTL_WATERMARK_SCALE_FACTOR:
      vm.watermarkScaleFactor = e.b;
      break;
    case SYSCTL_WRITEBACK_TICKS:
      vm.writebackTicks = e.b;
      break;
    case SYSCTL_IO_TICKS:
      vm.ioTicks = Math.max(e.b, 1);
      break;
    default:
      throw new EvolveError(e, `unknown sysctl ${e.a}`);
  }
}

export function kswapdWake(s: KernelState, e: Event): void {
  const pgdat = nodeData(s, e.a);
  if (!pgdat) throw new EvolveError(e, `no node ${e.a}`);
  if (pgdat.kswapdAwake) throw new EvolveError(e, `kswapd${e.a} is already awake`);
  if (pgdat.kswapdFailures >= MAX_RECLAIM_RETRIES)
    throw new EvolveError(e, `kswapd${e.a} is hopeless (kswapd_failures ${pgdat.kswapdFailures})`);
  pgdat.kswapdAwake = true;
}

/** balance_pgdat() returned: `if (!sc.nr_reclaimed) pgdat->kswapd_failures++`. */
export function kswapdSleep(s: KernelState, e: Event): void {
  const pgdat = nodeData(s, e.a);
  if (!pgdat?.kswapdAwake) throw new EvolveError(e, `kswapd${e.a} is not awake`);
  pgdat.kswapdAwake = false;
  if (e.b) pgdat.kswapdFailures++;
}

/** mem_cgroup_iter() with a reclaim cookie: the position (and at the end of the tree, generation++). */
export function memcgIter(s: KernelState, e: Event): void {
  const root = getMemcg(s, e.memcg);
  if (e.a && !s.memcgs.has(e.a)) throw new EvolveError(e, `iterator position ${e.a} is not a live memcg`);
  const pn = root.nodeinfo[nidOf(e.b)];
  if (!pn) throw new EvolveError(e, `no node ${nidOf(e.b)}`);
  pn.iter.position = e.a;
  if (withoutNid(e.b)) pn.iter.generation++;
}

/** invalidate_reclaim_iterators() at css release: no iterator may keep pointing at a freed memcg. */
export function invalidateReclaimIterators(s: KernelState, dead: Memcg): void {
  for (let x: Memcg | undefined = dead; x; x = s.memcgs.get(x.parent)) {
    for (const pn of x.nodeinfo) if (pn.iter.position === dead.id) pn.iter.position = 0;
  }
}

/** WORKINGSET_ACTIVATE_{ANON,FILE} of a memcg's subtree (lruvec_page_state of its lruvec: hierarchical). */
export function workingsetActivations(s: KernelState, m: Memcg): [number, number] {
  let anon = 0;
  let file = 0;
  for (const x of subtree(s, m.id)) {
    anon += x.stat[Stat.workingset_activate_anon];
    file += x.stat[Stat.workingset_activate_file];
  }
  return [anon, file];
}

/** snapshot_refaults(): target_lruvec->refaults[] = the activations now. */
export function snapshotRefaults(s: KernelState, e: Event): void {
  const m = getMemcg(s, e.memcg);
  if (!m.nodeinfo[e.a]) throw new EvolveError(e, `no node ${e.a}`);
  lruvecOf(m, e.a).refaults = workingsetActivations(s, m);
}

/**
 * lru_note_cost_unlock_irq() (mm/folio.c): the cost goes to this lruvec and every ancestor's
 * (parent_lruvec); at each level, once anon_cost + file_cost exceed a quarter of that lruvec's
 * LRU pages, both halve.
 */
export function lruNoteCost(s: KernelState, e: Event): void {
  if (e.b <= 0) throw new EvolveError(e, `cost ${e.b} is not positive`);
  const nid = nidOf(e.a);
  if (!s.nodes[nid]) throw new EvolveError(e, `no node ${nid}`);
  for (let x: Memcg | undefined = getMemcg(s, e.memcg); x; x = s.memcgs.get(x.parent)) {
    const lv = lruvecOf(x, nid);
    if (withoutNid(e.a)) lv.fileCost += e.b;
    else lv.anonCost += e.b;
    // lruvec_page_state(NR_{IN,}ACTIVE_{ANON,FILE}) is hierarchical: every charged folio of the
    // subtree is on one of its LRU lists, so on one node it is the subtree's charged pages.
    const lrusize = s.nodes.length === 1 ? x.memory : subtreeNodeLruPages(s, x, nid);
    if (lv.fileCost + lv.anonCost > lrusize / 4) {
      lv.fileCost = Math.floor(lv.fileCost / 2);
      lv.anonCost = Math.floor(lv.anonCost / 2);
    }
  }
}

/** The LRU pages of a memcg's subtree on one node (lruvec_page_state of its node lruvec, hierarchical). */
function subtreeNodeLruPages(s: KernelState, m: Memcg, nid: number): number {
  let n = 0;
  for (const x of subtree(s, m.id)) {
    const size = lruvecOf(x, nid).size;
    for (let l = 0; l < 4; l++) n += size[l];
  }
  return n;
}
