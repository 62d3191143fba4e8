import { PAGE_SIZE } from '../kernel/constants.js';

export function bytesToPages(bytes: number): number {
  return Math.floor(bytes / PAGE_SIZE);
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i ? v.toFixed(1) : Math.round(v)}${units[i]}`;
}

/** Metrics measured in bytes (printed as KiB/MiB/GiB with -h/--human). */
export const BYTE_METRICS: ReadonlySet<string> = new Set(['dying_bytes', 'memory_current']);
