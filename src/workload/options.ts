import { z } from 'zod';

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

/** Schema pieces the experiment and the workloads' option schemas share. */
export const size = (what: string) =>
  z.union([z.number(), z.string()]).transform((v, ctx) => {
    const b = parseSize(v);
    if (b === null) {
      ctx.addIssue({ code: 'custom', message: `${what} must be bytes or a size like "512MiB" (got ${JSON.stringify(v)})` });
      return z.NEVER;
    }
    return b;
  });

export const count = z.number().int().nonnegative();

export const cgroupPath = z
  .string()
  .regex(/^(\/[A-Za-z0-9_.@:-]+)+$/, 'must be an absolute cgroup path like "/system.slice"');

/** memory.max / memory.high of one cgroup; absent = max (no limit). */
export const LimitsSchema = z.strictObject({
  max: size('memory.max').optional(),
  high: size('memory.high').optional(),
  /** memory.min / memory.low: protection from reclaim (effective_protection: a child is protected only as far as its parent is) */
  min: size('memory.min').optional(),
  low: size('memory.low').optional(),
});
