import { PAGE_SIZE } from '../kernel/constants.js';
import type { KernelView, MemcgView } from '../kernel/state.js';

/** A memcg tunable's content: bytes, or `'max'` when unlimited (what the kernel prints and accepts). */
export type Tunable = number | 'max';

/** memory.max (memory_max_show → seq_puts_memcg_tunable): bytes, or `max` when unlimited. */
export function readMemoryMax(_s: KernelView, m: MemcgView): Tunable {
  return tunable(m.max);
}

/** memory.high (memory_high_show): bytes, or `max` when unlimited. */
export function readMemoryHigh(_s: KernelView, m: MemcgView): Tunable {
  return tunable(m.high);
}

/** memory.min (memory_min_show): bytes; 0 by default. */
export function readMemoryMin(_s: KernelView, m: MemcgView): Tunable {
  return tunable(m.min);
}

/** memory.low (memory_low_show): bytes; 0 by default. */
export function readMemoryLow(_s: KernelView, m: MemcgView): Tunable {
  return tunable(m.low);
}

function tunable(pages: number): Tunable {
  return pages < 0 ? 'max' : pages * PAGE_SIZE;
}

/** A one-value file (memory.current, memory.max, …): the value and a newline. */
export function formatValue(v: number | string): string {
  return `${v}\n`;
}
