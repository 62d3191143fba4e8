import { MEMORY_EVENT_NAMES } from '../kernel/memcg_events.js';
import type { KernelView, MemcgView } from '../kernel/state.js';

/** memory.events' content: event name → count, in the kernel's order. */
export type MemoryEventsValues = Record<string, number>;

/**
 * memory.events (memory_events_show → __memory_events_show): `low high max oom oom_kill
 * oom_group_kill`, hierarchical (this cgroup and its descendants); printed as `key value` lines.
 */
export function readMemoryEvents(_s: KernelView, m: MemcgView): MemoryEventsValues {
  return named(m.events);
}

/** memory.events.local (memory_events_local_show): the same keys, this cgroup's own events. */
export function readMemoryEventsLocal(_s: KernelView, m: MemcgView): MemoryEventsValues {
  return named(m.eventsLocal);
}

function named(v: readonly number[]): MemoryEventsValues {
  return Object.fromEntries(MEMORY_EVENT_NAMES.map((k, i) => [k, v[i]]));
}
