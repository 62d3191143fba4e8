import { MEMORY_EVENT_NAMES } from '../kernel/memcg_events.js';
import type { KernelView, MemcgView } from '../kernel/state.js';

/**
 * memory.events (memory_events_show → __memory_events_show): `low high max oom oom_kill
 * oom_group_kill`, one `key value` line each, hierarchical (this cgroup and its descendants).
 */
export function renderMemoryEvents(_s: KernelView, m: MemcgView): string {
  return show(m.events);
}

/** memory.events.local (memory_events_local_show): the same keys, this cgroup's own events. */
export function renderMemoryEventsLocal(_s: KernelView, m: MemcgView): string {
  return show(m.eventsLocal);
}

function show(v: readonly number[]): string {
  return MEMORY_EVENT_NAMES.map((k, i) => `${k} ${v[i]}\n`).join('');
}
