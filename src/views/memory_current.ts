import { PAGE_SIZE } from '../kernel/constants.js';
import type { KernelView, MemcgView } from '../kernel/state.js';

/** memory.current: the page counter's usage (this cgroup and its descendants), in bytes. */
export function readMemoryCurrent(_s: KernelView, m: MemcgView): number {
  return m.memory * PAGE_SIZE;
}
