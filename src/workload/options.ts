import { z } from 'zod';

const UNITS: Record<string, number> = {
  '': 1,
  B: 1,
  K: 1024,
  KB: 1024,
  KIB: 1024,
  M: 1 << 20,
  MB: 1 << 20,
  MIB: 1 << 20,
  G: 1 << 30,
  GB: 1 << 30,
  GIB: 1 << 30,
  T: 1024 ** 4,
  TB: 1024 ** 4,
  TIB: 1024 ** 4,
  P: 1024 ** 5,
  PB: 1024 ** 5,
  PIB: 1024 ** 5,
};

/** The largest size any field takes: 1 PiB (a size must stay an exact integer of bytes). */
export const MAX_SIZE = 1024 ** 5;

/** "512MiB", "64 KiB", "4096" or a number → bytes. Returns null when it is not a size (or not a finite one). */
export function parseSize(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.floor(v) : null;
  if (typeof v !== 'string' || v.length > 40) return null;
  const m = /^\s*(\d{1,20}(?:\.\d{1,20})?)\s*([a-zA-Z]*)\s*$/.exec(v);
  if (!m) return null;
  const unit = UNITS[m[2].toUpperCase()];
  if (unit === undefined) return null;
  const b = Math.floor(Number(m[1]) * unit);
  return Number.isFinite(b) ? b : null;
}

const show = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
};
const human = (b: number) =>
  b >= 1024 ** 5 ? `${b / 1024 ** 5}PiB` : b >= 1 << 20 ? `${b / (1 << 20)}MiB` : b >= 1024 ? `${b / 1024}KiB` : `${b}`;

/** Schema pieces the experiment and the workloads' option schemas share. `min` in bytes. */
export const size = (what: string, min = 0) =>
  z.union([z.number(), z.string()]).transform((v, ctx) => {
    const b = parseSize(v);
    if (b === null) {
      ctx.addIssue({ code: 'custom', message: `${what} must be bytes or a size like "512MiB" (got ${show(v)})` });
      return z.NEVER;
    }
    if (b > MAX_SIZE) {
      ctx.addIssue({ code: 'custom', message: `${what} ${show(v)} is too large (at most 1PiB)` });
      return z.NEVER;
    }
    if (b < min) {
      ctx.addIssue({ code: 'custom', message: `${what} must be at least ${human(min)} (got ${show(v)})` });
      return z.NEVER;
    }
    return b;
  });

export const count = z.number().int().nonnegative();

/**
 * An absolute cgroup path: "/a/b", no empty, "." or ".." components (so one cgroup has one
 * spelling and no path climbs out of its parent).
 */
export const cgroupPath = z
  .string()
  .regex(/^(\/[A-Za-z0-9_.@:-]+)+$/, 'must be an absolute cgroup path like "/system.slice"')
  .refine((p) => !p.split('/').some((c) => c === '.' || c === '..'), {
    message: 'must not contain "." or ".." components (a cgroup path names one cgroup, like "/system.slice")',
  });

/** memory.max / memory.high of one cgroup; absent = max (no limit). */
export const LimitsSchema = z.strictObject({
  max: size('memory.max').optional(),
  high: size('memory.high').optional(),
  /** memory.min / memory.low: protection from reclaim (effective_protection: a child is protected only as far as its parent is) */
  min: size('memory.min').optional(),
  low: size('memory.low').optional(),
});
