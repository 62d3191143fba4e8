import { ROOT_MEMCG } from '../constants.js';
import { type Event, LIMIT_HIGH, LIMIT_LOW, LIMIT_MAX, LIMIT_MIN, MACHINE_INTERLEAVE, MACHINE_MGLRU, MACHINE_OBJCG } from '../events.js';
import { memcgLruOnline } from '../memcg_lru.js';
import { nidOf } from '../node.js';
import { getMemcg, type KernelState, newMemcgPerNode, newPgData } from '../state.js';
import { calculateMinFreeKbytes } from '../watermark.js';
import { EvolveError } from './error.js';

// evolve() for the machine and the workload's bookkeeping: setup, tasks, cycles, limits.

export function machine(s: KernelState, e: Event): void {
  if (s.memoryPages || s.folios.size || s.memcgs.size > 1) throw new EvolveError(e, 'the machine is already set up');
  s.memoryPages = e.a;
  s.mglru = (e.b & MACHINE_MGLRU) !== 0;
  s.objcgCharging = (e.b & MACHINE_OBJCG) !== 0;
  s.interleave = (e.b & MACHINE_INTERLEAVE) !== 0;
  // the nodes (b's high bits: nodes - 1; 0 in logs of one node): the root is the only memcg yet
  const nodes = nidOf(e.b) + 1;
  const root = s.memcgs.get(ROOT_MEMCG)!;
  while (s.nodes.length < nodes) {
    s.nodes.push(newPgData(s.nodes.length));
    root.nodeinfo.push(newMemcgPerNode());
  }
  // init_per_zone_wmark_min() at boot: min_free_kbytes from the machine's memory
  s.vm.minFreeKbytes = calculateMinFreeKbytes(s.memoryPages);
  // the root comes online first, bin 0, on every node's memcg LRU
  if (s.mglru) for (const pgdat of s.nodes) memcgLruOnline(pgdat, s.memcgs.get(ROOT_MEMCG)!, 0);
}

export function jobStart(s: KernelState, e: Event): void {
  getMemcg(s, e.memcg).nrTasks++;
}

export function jobExit(s: KernelState, e: Event): void {
  const m = getMemcg(s, e.memcg);
  if (m.nrTasks === 0) throw new EvolveError(e, `memcg ${m.path} has no task to exit`);
  m.nrTasks--;
  if (m.nrTasks === 0) {
    // exit: the task's oom-victim mark and pending memory.high work go with it
    m.oomVictim = false;
    m.nrPagesOverHigh = 0;
  }
}

export function cycle(s: KernelState, e: Event): void {
  s.cycle = e.a;
}

/** memory.max / memory.high written. */
export function limitSet(s: KernelState, e: Event): void {
  const m = getMemcg(s, e.memcg);
  if (e.a === LIMIT_MAX) m.max = e.b;
  else if (e.a === LIMIT_HIGH) m.high = e.b;
  else if (e.a === LIMIT_MIN) m.min = Math.max(e.b, 0);
  else if (e.a === LIMIT_LOW) m.low = Math.max(e.b, 0);
  else throw new EvolveError(e, `unknown limit ${e.a}`);
}
