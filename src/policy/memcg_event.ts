import { E } from '../kernel/events.js';
import type { MemcgMemoryEvent } from '../kernel/memcg_events.js';
import type { Ctx } from './context.js';

export { MEMCG_HIGH, MEMCG_LOW, MEMCG_MAX, MEMCG_OOM, MEMCG_OOM_GROUP_KILL, MEMCG_OOM_KILL } from '../kernel/memcg_events.js';

/**
 * memcg_memory_event(memcg, event) (include/linux/memcontrol.h): raise one memory.events event
 * on `memcg` (memory.events.local) and, hierarchically, on it and its ancestors below the root.
 * Reclaim calls it with MEMCG_LOW when it reclaims a memcg below its memory.low
 * (shrink_node_memcgs, or shrink_one under MGLRU).
 */
export function memcgMemoryEvent(ctx: Ctx, memcg: number, event: MemcgMemoryEvent): void {
  ctx.emit(E.memcgMemoryEvent(memcg, event));
}
