import { DEFAULT_MEMCG_LAYOUT, MEMCG_LAYOUTS, MEMCG_SIZE_PARTS, type MemcgLayout, memcgSizeParts } from '../kernel/memcg_size.js';
import type { Metrics } from './metrics.js';

/**
 * The dying memcgs' bytes by part, memory.stat style (`dying_percpu`, `dying_memcg_struct`,
 * `dying_per_node`, `dying_objcg`): nr_dying × each part of the size model (src/kernel/memcg_size.ts).
 * When machine.memcgSize overrides the model there are no parts: one `dying_memcg_size` line.
 */
export type DyingParts = Record<string, number>;

/** From a run's stored (resolved) experiment and final metrics; null when either is missing. */
export function dyingParts(experiment: Record<string, unknown> | null, metrics: Metrics | null): DyingParts | null {
  if (!experiment || !metrics) return null;
  const m = (experiment.machine ?? {}) as Record<string, unknown>;
  const n = metrics.nr_dying;
  if (typeof m.memcgSize === 'number') return { dying_memcg_size: n * m.memcgSize };
  const layout: MemcgLayout = MEMCG_LAYOUTS.includes(m.memcgLayout as MemcgLayout) ? (m.memcgLayout as MemcgLayout) : DEFAULT_MEMCG_LAYOUT;
  const cpus = typeof m.cpus === 'number' ? m.cpus : 32;
  const nodes = typeof m.nodes === 'number' ? m.nodes : 1;
  // the same choice as memcgSizePartsOf(): per-node objcgs only in the 7.1 layout on kernel 7.1
  const perNode = layout === '7.1' && (m.kernel ?? '7.1') === '7.1';
  const parts = memcgSizeParts(layout, cpus, nodes, perNode ? 'per-node' : 'one');
  return Object.fromEntries(MEMCG_SIZE_PARTS.map((k) => [k, n * parts[k]]));
}
