import type { Memcg } from './state.js';

/**
 * enum memcg_memory_event (include/linux/memcontrol.h), in the order memory.events prints them
 * (memory_events_show). MEMCG_SWAP_* and `sock_throttled` (6.18) are not modelled.
 */
export const MEMCG_LOW = 0;
export const MEMCG_HIGH = 1;
export const MEMCG_MAX = 2;
export const MEMCG_OOM = 3;
export const MEMCG_OOM_KILL = 4;
export const MEMCG_OOM_GROUP_KILL = 5;
export const MEMORY_EVENT_NAMES = ['low', 'high', 'max', 'oom', 'oom_kill', 'oom_group_kill'] as const;
export const MEMCG_NR_MEMORY_EVENTS = MEMORY_EVENT_NAMES.length;
export type MemcgMemoryEvent = 0 | 1 | 2 | 3 | 4 | 5;

/** memcg->memory_events[] / memory_events_local[]: all zero for a new memcg. */
export function newMemoryEvents(): number[] {
  return new Array<number>(MEMCG_NR_MEMORY_EVENTS).fill(0);
}

/**
 * __memcg_memory_event(): `memory_events_local[ev]++` on the memcg itself, then
 * `memory_events[ev]++` on it and on every ancestor below the root (cgroup v2, without the
 * memory_localevents mount option). Applied by evolve only.
 */
export function memcgMemoryEventApply(memcgs: ReadonlyMap<number, Memcg>, m: Memcg, ev: MemcgMemoryEvent, rootId: number): void {
  m.eventsLocal[ev]++;
  let x: Memcg | undefined = m;
  do {
    x.events[ev]++;
    x = memcgs.get(x.parent);
  } while (x && x.id !== rootId);
}
