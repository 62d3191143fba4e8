import { PAGE_SIZE } from '../kernel/constants.js';
import type { KernelView, MemcgView } from '../kernel/state.js';

/** memory.current: the page counter's usage (this cgroup and its descendants), in bytes. */
export function renderMemoryCurrent(_s: KernelView, m: MemcgView): string {
  return `${m.memory * PAGE_SIZE}\n`;
}
