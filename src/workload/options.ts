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

/**
 * A size string: a number with an optional binary unit (B, K, KB, KiB … P, PB, PiB; any case).
 * Also the `pattern` of size strings in the JSON Schema, so it is plain ECMAScript regex text.
 */
export const SIZE_PATTERN = '^\\s*(\\d{1,20}(?:\\.\\d{1,20})?)\\s*([BbKkMmGgTtPp]|[KkMmGgTtPp][Ii]?[Bb])?\\s*$';
const SIZE_RE = new RegExp(SIZE_PATTERN);
/** The longest size string read. */
export const MAX_SIZE_STRING = 40;

/** "512MiB", "64 KiB", "4096" or a number → bytes. Returns null when it is not a size (or not a finite one). */
export function parseSize(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.floor(v) : null;
  if (typeof v !== 'string' || v.length > MAX_SIZE_STRING) return null;
  const m = SIZE_RE.exec(v);
  if (!m) return null;
  const unit = UNITS[(m[2] ?? '').toUpperCase()];
  if (unit === undefined) return null;
  const b = Math.floor(Number(m[1]) * unit);
  return Number.isFinite(b) ? b : null;
}

const human = (b: number) =>
  b >= 1024 ** 5 ? `${b / 1024 ** 5}PiB` : b >= 1 << 20 ? `${b / (1 << 20)}MiB` : b >= 1024 ? `${b / 1024}KiB` : `${b}`;

/**
 * The input schema of every size field, by the least bytes it takes: the JSON Schema generator
 * (src/lab/experiment_schema.ts) writes these as "an integer or a size string" instead of zod's
 * plain `number | string`. Keyed by the input union, which clones made by .describe() share.
 */
export const SIZE_INPUTS = new WeakMap<z.ZodType, { min: number }>();

/**
 * Schema pieces the experiment and the workloads' option schemas share. `min` in bytes. Messages
 * say what is allowed: the experiment's error lines add the field and the value given, so `_what`
 * (the field's name) only documents the call.
 */
export const size = (_what: string, min = 0) => {
  const input = z.union([z.number(), z.string()]);
  SIZE_INPUTS.set(input, { min });
  return input.transform((v, ctx) => {
    const b = typeof v === 'number' && !Number.isInteger(v) ? null : parseSize(v);
    if (b === null) {
      ctx.addIssue({ code: 'custom', message: `whole bytes${min ? ` (at least ${min})` : ''} or a size like "512MiB"` });
      return z.NEVER;
    }
    if (b > MAX_SIZE) {
      ctx.addIssue({ code: 'custom', message: 'a size of at most 1PiB' });
      return z.NEVER;
    }
    if (b < min) {
      ctx.addIssue({ code: 'custom', message: `a size of at least ${human(min)}` });
      return z.NEVER;
    }
    return b;
  });
};

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
  max: size('memory.max').optional().describe('memory.max: the hard limit (absent: max)'),
  high: size('memory.high').optional().describe('memory.high: the throttling limit (absent: max)'),
  // effective_protection: a child is protected only as far as its parent is
  min: size('memory.min').optional().describe('memory.min: hard protection from reclaim'),
  low: size('memory.low').optional().describe('memory.low: best-effort protection from reclaim'),
});
