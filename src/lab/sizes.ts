import { PAGE_SIZE } from '../kernel/constants.js';

const UNITS: Record<string, number> = { '': 1, B: 1, K: 1024, KB: 1024, KIB: 1024, M: 1 << 20, MB: 1 << 20, MIB: 1 << 20, G: 1 << 30, GB: 1 << 30, GIB: 1 << 30 };

/** "512MiB", "64 KiB", "4096" or a number → bytes. Returns null when it is not a size. */
export function parseSize(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.floor(v) : null;
  if (typeof v !== 'string') return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(v);
  if (!m) return null;
  const unit = UNITS[m[2].toUpperCase()];
  if (unit === undefined) return null;
  return Math.floor(Number(m[1]) * unit);
}

export function bytesToPages(bytes: number): number {
  return Math.floor(bytes / PAGE_SIZE);
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i ? v.toFixed(1) : v}${units[i]}`;
}
