import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { LabError } from '../errors.js';
import { DEFAULT_MGLRU_REPARENT_MODE, MGLRU_REPARENT_MODES, POLICY_NAMES } from '../policy/policies.js';
import { cgroupPath, LimitsSchema, size } from '../workload/options.js';
import { RestartCyclesSchema, restartCycles } from '../workload/restart_cycles.js';
import { TraceSchema, traceKind } from '../workload/trace.js';
import type { WorkloadKind } from '../workload/workload.js';
import { decodeUtf8, jsonDepth, MAX_JSON_BYTES, MAX_JSON_DEPTH, PROTOTYPE_KEYS, parseUserJson } from './json.js';
import { loadTrace } from './trace_file.js';

const WorkloadSchema = z.discriminatedUnion('kind', [RestartCyclesSchema, TraceSchema]);
export type WorkloadOptions = z.output<typeof WorkloadSchema>;

/**
 * Every workload kind, by its `kind`: adding one is a file in src/workload/ (the workload, its
 * WorkloadKind and its option schema) plus its entry here and in the union above.
 */
const WORKLOADS: { [K in WorkloadOptions['kind']]: WorkloadKind<Extract<WorkloadOptions, { kind: K }>> } = {
  'restart-cycles': restartCycles,
  trace: traceKind(loadTrace),
};

/** The kind of a validated workload, typed for its options. */
export function workloadKind(w: WorkloadOptions): WorkloadKind<WorkloadOptions> {
  return WORKLOADS[w.kind] as WorkloadKind<WorkloadOptions>;
}

export const ExperimentSchema = z.strictObject({
  name: z.string().min(1).default('experiment'),
  seed: z.number().int().nonnegative().max(0xffffffff).default(42),
  machine: z
    .strictObject({
      lru: z.enum(['classic', 'mglru']).default('classic'),
      cpus: z.number().int().positive().max(4096).default(32),
      nodes: z.literal(1).default(1),
      /** at least 256 KiB = 2 × SWAP_CLUSTER_MAX pages: less than two reclaim batches cannot hold a job */
      memory: size('machine.memory', 256 * 1024).default(512 * 1024 * 1024),
      /** bytes one dying memcg costs; default: the model fitted to ~75 KB at 32 CPUs */
      memcgSize: size('machine.memcgSize').optional(),
      /** milliseconds one tick stands for (ages in lru_gen are printed in ms) */
      msPerTick: z.number().positive().default(1),
      /** swap device size (0: no swap, anon is never reclaimed) */
      swap: size('machine.swap').default(0),
      /** vm.swappiness, 0–200 (cgroup v2 has one global value) */
      swappiness: z.number().int().min(0).max(200).default(60),
      /** vm.min_free_kbytes; default: calculate_min_free_kbytes() of machine.memory */
      minFreeKbytes: z.number().int().min(0).optional(),
      /** vm.watermark_scale_factor (1/10000 of memory between watermarks) */
      watermarkScaleFactor: z.number().int().min(1).max(3000).default(10),
      /** ticks a written page stays dirty before the flusher writes it back (dirty_expire_centisecs: 30 s) */
      writebackTicks: z.number().int().min(0).default(30000),
      /** ticks one write I/O takes (file writeback, swap-out) */
      ioTicks: z.number().int().min(1).default(10),
    })
    .prefault({}),
  policy: z.enum(POLICY_NAMES).default('reparent'),
  policyOptions: z
    .strictObject({
      /** how the reparent policy moves MGLRU generations (issue: MGLRU) */
      mglru: z.enum(MGLRU_REPARENT_MODES).default(DEFAULT_MGLRU_REPARENT_MODE),
    })
    .prefault({}),
  workload: WorkloadSchema,
  /** memory.max / memory.high of cgroups created at setup: the workload parent or its ancestors */
  limits: z.record(cgroupPath, LimitsSchema).default({}),
  /** metrics sample every this many cycles (cycle events) */
  sampleEvery: z.number().int().positive().default(1),
  /** store a full state snapshot every this many events (replay cost is bounded by it) */
  snapshotEvery: z.number().int().positive().default(100_000),
});

export type Experiment = z.output<typeof ExperimentSchema>;

/**
 * Validate a raw experiment; errors become one line naming the field and the fix. `checkLimits`:
 * whether `limits` names only cgroups the workload sets up (off for a stored experiment, checked
 * when its run began: a trace's setup needs the trace file, which reading a finished run must not).
 */
export function parseExperiment(raw: unknown, source = 'experiment', checkLimits = true): Experiment {
  const r = ExperimentSchema.safeParse(raw);
  if (r.success) {
    if (!checkLimits || !Object.keys(r.data.limits).length) return r.data;
    const kind = workloadKind(r.data.workload);
    const setup = kind.setupCgroups(r.data.workload);
    for (const path of Object.keys(r.data.limits)) {
      if (!setup.includes(path)) throw new LabError(`${source}: limits.${path}: ${kind.limitsHint(r.data.workload)}`);
    }
    return r.data;
  }
  const issue = r.error.issues[0];
  const where = issue.path.length ? issue.path.join('.') : '(top level)';
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more)` : '';
  throw new LabError(`${source}: ${where}: ${issue.message}${more}`);
}

export function loadExperimentFile(path: string): unknown {
  let bytes: Buffer;
  try {
    if (statSync(path).size > MAX_JSON_BYTES)
      throw new LabError(`experiment file ${path} is larger than ${MAX_JSON_BYTES >> 20} MiB; an experiment is a small JSON object`);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof LabError) throw e;
    const why =
      (e as NodeJS.ErrnoException).code === 'EISDIR'
        ? 'it is a directory'
        : (e as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'no such file'
          : (e as Error).message;
    throw new LabError(`cannot read experiment file ${path} (${why}); pass a path to a JSON experiment (see experiments/)`);
  }
  const text = decodeUtf8(bytes, path);
  if (!text.trim()) throw new LabError(`${path} is empty; an experiment is a JSON object (see experiments/)`);
  return parseUserJson(text, path);
}

/** A run's stored experiment, validated; a damaged one is one line naming the run. */
export function storedExperiment(run: { id: number; experiment: string }): Experiment {
  let raw: unknown;
  try {
    raw = JSON.parse(run.experiment);
  } catch (e) {
    throw new LabError(
      `run ${run.id}'s stored experiment (runs.experiment) is not valid JSON (${(e as Error).message}): the database is damaged`,
    );
  }
  return parseExperiment(raw, `run ${run.id}'s stored experiment (runs.experiment)`, false);
}

/** Apply `--set a.b.c=value` overrides (value parsed as JSON when it is JSON, else a string). */
export function applyOverrides(raw: unknown, sets: readonly string[]): unknown {
  const obj = (raw && typeof raw === 'object' ? structuredClone(raw) : raw === undefined ? {} : raw) as Record<string, unknown>;
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    if (sets.length) throw new LabError(`--set ${sets[0]}: the experiment is not a JSON object`);
    return obj;
  }
  for (const s of sets) {
    const eq = s.indexOf('=');
    const shown = s.length > 80 ? `${s.slice(0, 77)}...` : s;
    if (eq <= 0) throw new LabError(`--set ${shown}: expected path=value, e.g. --set workload.cycles=500`);
    const path = s.slice(0, eq).split('.');
    if (path.some((k) => k === ''))
      throw new LabError(`--set ${shown}: empty field name in the path; expected path=value, e.g. --set workload.cycles=500`);
    const proto = path.find((k) => PROTOTYPE_KEYS.has(k));
    if (proto) throw new LabError(`--set ${shown}: "${proto}" is not allowed in a path (prototype keys are refused)`);
    const text = s.slice(eq + 1);
    let value: unknown = text;
    if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) throw new LabError(`--set ${shown}: value nested too deep`);
    try {
      value = JSON.parse(text);
    } catch {
      /* a plain string */
    }
    if (value !== text) value = parseUserJson(text, `--set ${shown}`);
    let o: Record<string, unknown> = obj;
    for (const k of path.slice(0, -1)) {
      if (!Object.hasOwn(o, k) || o[k] === undefined) o[k] = {};
      if (typeof o[k] !== 'object' || o[k] === null || Array.isArray(o[k])) throw new LabError(`--set ${shown}: ${k} is not an object`);
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
