import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LabError } from '../errors.js';
import { DEFAULT_MGLRU_REPARENT_MODE, MGLRU_REPARENT_MODES, POLICY_NAMES } from '../policy/policies.js';
import { parseSize } from './sizes.js';

const size = (what: string) =>
  z.union([z.number(), z.string()]).transform((v, ctx) => {
    const b = parseSize(v);
    if (b === null) {
      ctx.addIssue({ code: 'custom', message: `${what} must be bytes or a size like "512MiB" (got ${JSON.stringify(v)})` });
      return z.NEVER;
    }
    return b;
  });

const count = z.number().int().nonnegative();

const cgroupPath = z
  .string()
  .regex(/^(\/[A-Za-z0-9_.@:-]+)+$/, 'must be an absolute cgroup path like "/system.slice"');

export const AccessSchema = z.discriminatedUnion('dist', [
  z.strictObject({ dist: z.literal('uniform') }),
  z.strictObject({ dist: z.literal('zipf'), alpha: z.number().positive().max(10).default(0.9) }),
]);

/** memory.max / memory.high of one cgroup; absent = max (no limit). */
export const LimitsSchema = z.strictObject({
  max: size('memory.max').optional(),
  high: size('memory.high').optional(),
});

export const RestartCyclesSchema = z.strictObject({
  kind: z.literal('restart-cycles'),
  cycles: z.number().int().positive(),
  parent: cgroupPath.default('/system.slice'),
  unit: z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'must be a unit name like "job"').default('job'),
  sharedFilePages: count.default(256),
  privateFilePages: count.default(4),
  anonPages: count.default(128),
  accessesPerCycle: count.default(2000),
  access: AccessSchema.default({ dist: 'zipf', alpha: 0.9 }),
  /** each instance first reads the whole shared file, like `cat` in the reproducer */
  readWholeFile: z.boolean().default(true),
  /** memory.max / memory.high written into every job cgroup right after mkdir */
  jobLimits: LimitsSchema.optional(),
});

export const ExperimentSchema = z.strictObject({
  name: z.string().min(1).default('experiment'),
  seed: z.number().int().nonnegative().max(0xffffffff).default(42),
  machine: z
    .strictObject({
      lru: z.enum(['classic', 'mglru']).default('classic'),
      cpus: z.number().int().positive().max(4096).default(32),
      nodes: z.literal(1).default(1),
      memory: size('machine.memory').default(512 * 1024 * 1024),
      /** bytes one dying memcg costs; default: the model fitted to ~75 KB at 32 CPUs */
      memcgSize: size('machine.memcgSize').optional(),
      /** milliseconds one tick stands for (ages in lru_gen are printed in ms) */
      msPerTick: z.number().positive().default(1),
    })
    .prefault({}),
  policy: z.enum(POLICY_NAMES).default('reparent'),
  policyOptions: z
    .strictObject({
      /** how the reparent policy moves MGLRU generations (issue: MGLRU) */
      mglru: z.enum(MGLRU_REPARENT_MODES).default(DEFAULT_MGLRU_REPARENT_MODE),
    })
    .prefault({}),
  workload: RestartCyclesSchema,
  /** memory.max / memory.high of cgroups created at setup: the workload parent or its ancestors */
  limits: z.record(cgroupPath, LimitsSchema).default({}),
  /** metrics sample every this many cycles */
  sampleEvery: z.number().int().positive().default(1),
  /** store a full state snapshot every this many events (replay cost is bounded by it) */
  snapshotEvery: z.number().int().positive().default(100_000),
});

export type Experiment = z.output<typeof ExperimentSchema>;

/** Validate a raw experiment; errors become one line naming the field and the fix. */
export function parseExperiment(raw: unknown, source = 'experiment'): Experiment {
  const r = ExperimentSchema.safeParse(raw);
  if (r.success) {
    const parents = ancestorsOf(r.data.workload.parent);
    for (const path of Object.keys(r.data.limits)) {
      if (!parents.includes(path)) {
        throw new LabError(`${source}: limits.${path}: only the workload parent (${r.data.workload.parent}) and its ancestors exist from the start; limit job cgroups with workload.jobLimits`);
      }
    }
    return r.data;
  }
  const issue = r.error.issues[0];
  const where = issue.path.length ? issue.path.join('.') : '(top level)';
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more)` : '';
  throw new LabError(`${source}: ${where}: ${issue.message}${more}`);
}

/** "/a/b" → ["/a", "/a/b"]: the cgroups setup creates. */
function ancestorsOf(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.map((_, i) => '/' + parts.slice(0, i + 1).join('/'));
}

export function loadExperimentFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new LabError(`cannot read experiment file ${path}; pass a path to a JSON experiment (see experiments/)`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new LabError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Apply `--set a.b.c=value` overrides (value parsed as JSON when it is JSON, else a string). */
export function applyOverrides(raw: unknown, sets: readonly string[]): unknown {
  const obj = structuredClone(raw ?? {}) as Record<string, unknown>;
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new LabError(`--set ${s}: expected path=value, e.g. --set workload.cycles=500`);
    const path = s.slice(0, eq).split('.');
    const text = s.slice(eq + 1);
    let value: unknown = text;
    try { value = JSON.parse(text); } catch { /* a plain string */ }
    let o: Record<string, unknown> = obj;
    for (const k of path.slice(0, -1)) {
      if (o[k] === undefined) o[k] = {};
      if (typeof o[k] !== 'object' || o[k] === null) throw new LabError(`--set ${s}: ${k} is not an object`);
      o = o[k] as Record<string, unknown>;
    }
    o[path[path.length - 1]] = value;
  }
  return obj;
}

/**
 * Bytes a dying memcg costs: base + per-CPU stats + per-node lruvec/info. Fitted to Gushchin's
 * ~75 KB per dying memcg at 32 CPUs and 1 node (reference §4.4, §7.15); tunable by machine.memcgSize.
 */
export function memcgSizeBytes(e: Experiment): number {
  if (e.machine.memcgSize !== undefined) return e.machine.memcgSize;
  return 14 * 1024 + e.machine.cpus * 1843 + e.machine.nodes * 3 * 1024;
}
