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

function tunable(pages: number): string {
  return pages < 0 ? 'max\n' : `${pages * PAGE_SIZE}\n`;
}
