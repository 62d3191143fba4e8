import { PAGE_SIZE } from '../kernel/constants.js';
import type { KernelView, MemcgView } from '../kernel/state.js';

/** memory.max (memory_max_show → seq_puts_memcg_tunable): bytes, or `max` when unlimited. */
export function renderMemoryMax(_s: KernelView, m: MemcgView): string {
  return tunable(m.max);
}

/** memory.high (memory_high_show): bytes, or `max` when unlimited. */
export function renderMemoryHigh(_s: KernelView, m: MemcgView): string {
  return tunable(m.high);
}

/** memory.min (memory_min_show): bytes; 0 by default. */
export function renderMemoryMin(_s: KernelView, m: MemcgView): string {
  return tunable(m.min);
}

/** memory.low (memory_low_show): bytes; 0 by default. */
export function renderMemoryLow(_s: KernelView, m: MemcgView): string {
  return tunable(m.low);
}

function tunable(pages: number): string {
  return pages < 0 ? 'max\n' : `${pages * PAGE_SIZE}\n`;
}
