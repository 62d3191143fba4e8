import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { LabError } from '../errors.js';
import { DEFAULT_MEMCG_LAYOUT, MEMCG_LAYOUTS, type MemcgSizeParts, memcgSizeParts, sumParts } from '../kernel/memcg_size.js';
import { DEFAULT_KERNEL, KERNELS, OVERRIDABLE_SWITCHES, SWITCHES, type SwitchName } from '../kernel/series.js';
import { BUG_NAMES, BUGS, bugMismatch } from '../policy/bugs.js';
import { DEFAULT_MGLRU_REPARENT_MODE, MGLRU_REPARENT_MODES, POLICY_NAMES } from '../policy/policies.js';
import { cgroupPath, LimitsSchema, size } from '../workload/options.js';
import { RestartCyclesSchema, restartCycles } from '../workload/restart_cycles.js';
import { TraceSchema, traceKind } from '../workload/trace.js';
import type { WorkloadKind } from '../workload/workload.js';
import { ConcurrencySchema, concurrencyErrors } from './experiment_concurrency.js';
import { type FieldError, issueErrors, showValue, validationError } from './experiment_errors.js';
import { type JsonSchema, toExperimentJsonSchema } from './experiment_schema.js';
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

/** `machine.switches`: the switches that change what the lab records, each an optional boolean. */
const SwitchOverrides = z.strictObject(
  Object.fromEntries(OVERRIDABLE_SWITCHES.map((n) => [n, z.boolean().optional().describe(SWITCHES[n].means)])) as Record<
    SwitchName,
    z.ZodOptional<z.ZodBoolean>
  >,
);

/** `limits`: memory.max / high / min / low by cgroup path. */
const LimitsByCgroup = z.record(cgroupPath, LimitsSchema);

export const ExperimentSchema = z.strictObject({
  name: z.string().min(1).default('experiment').describe('a name for people: runs, reports and sweeps show it'),
  seed: z
    .number()
    .int()
    .nonnegative()
    .max(0xffffffff)
    .default(42)
    .describe("the one PRNG's seed: same experiment + seed + version => byte-identical event log"),
  machine: z
    .strictObject({
      lru: z.enum(['classic', 'mglru']).default('classic').describe('classic: the active/inactive LRU; mglru: the multi-gen LRU (lru_gen)'),
      kernel: z
        .enum(KERNELS)
        .default(DEFAULT_KERNEL)
        .describe('the reparenting series modelled: 7.1 as merged, or v1 as posted (2025-10-28); legacy stays a policy'),
      switches: SwitchOverrides.optional().describe(
        "override single rules of machine.kernel, by switch name (README 'Kernel versions'); for experiments",
      ),
      cpus: z.number().int().positive().max(4096).default(32).describe('CPUs: scale the per-CPU parts of the dying-memcg size'),
      nodes: z
        .number()
        .int()
        .min(1)
        .max(64)
        .default(1)
        .describe('NUMA nodes (1-64): memory split evenly, each node with its lruvecs, memcg LRU, objcgs, watermarks and kswapd'),
      placement: z
        .enum(['local', 'interleave'])
        .default('local')
        .describe(
          "where folios go with more than one node: local = the job's home node (memcg id mod nodes), interleave = round-robin per page",
        ),
      // at least 256 KiB = 2 × SWAP_CLUSTER_MAX pages: less than two reclaim batches cannot hold a job
      memory: size('machine.memory', 256 * 1024)
        .default(512 * 1024 * 1024)
        .describe('machine memory (at least 256KiB): global reclaim runs when a charge would exceed it'),
      memcgSize: size('machine.memcgSize')
        .optional()
        .describe('bytes one dying memcg costs; default: the sum of its parts for machine.memcgLayout, cpus and nodes'),
      memcgLayout: z
        .enum(MEMCG_LAYOUTS)
        .optional()
        .describe(
          'structure sizes of the dying-memcg size: "7.1" (default; ~74 KiB at 32 CPUs, 1 node) or "5.18" (Waiman Long 2022: 2424 + 656 B per CPU)',
        ),
      msPerTick: z.number().positive().default(1).describe('milliseconds one tick stands for (ages in lru_gen are printed in ms)'),
      swap: size('machine.swap').default(0).describe('swap device size (0: no swap, anon is never reclaimed)'),
      swappiness: z.number().int().min(0).max(200).default(60).describe('vm.swappiness, 0-200 (cgroup v2 has one global value)'),
      minFreeKbytes: z
        .number()
        .int()
        .min(0)
        .optional()
        .describe("vm.min_free_kbytes; default: the kernel's calculate_min_free_kbytes() of machine.memory"),
      watermarkScaleFactor: z
        .number()
        .int()
        .min(1)
        .max(3000)
        .default(10)
        .describe('vm.watermark_scale_factor (1/10000 of memory between watermarks)'),
      writebackTicks: z
        .number()
        .int()
        .min(0)
        .default(30000)
        .describe('ticks a written page stays dirty before the flusher writes it back (dirty_expire_centisecs: 30 s)'),
      ioTicks: z.number().int().min(1).default(10).describe('ticks one write I/O takes (file writeback, swap-out)'),
      concurrency: ConcurrencySchema,
    })
    .prefault({})
    .describe('the simulated machine'),
  policy: z
    .enum(POLICY_NAMES)
    .default('reparent')
    .describe('legacy: folios pin their memcg; reparent: objcg charging, folios move to the parent on offline'),
  policyOptions: z
    .strictObject({
      mglru: z
        .enum(MGLRU_REPARENT_MODES)
        .default(DEFAULT_MGLRU_REPARENT_MODE)
        .describe('how the reparent policy moves MGLRU generations to the parent (on an mglru machine)'),
      bug: z
        .enum(BUG_NAMES)
        .optional()
        .describe(
          `a bug variant put back on purpose, for verify to catch (issue 13): ${BUG_NAMES.map((b) => `${b}: ${BUGS[b].what}`).join('; ')}`,
        ),
    })
    .prefault({})
    .describe('options of the policy'),
  workload: WorkloadSchema.describe('what runs on the machine; `kind` picks the workload'),
  limits: LimitsByCgroup.default({}).describe(
    'memory.max / high / min / low of cgroups created at setup (the workload parent or its ancestors), by path',
  ),
  sampleEvery: z.number().int().positive().default(1).describe('write a metrics sample every this many cycles'),
  snapshotEvery: z
    .number()
    .int()
    .positive()
    .default(100_000)
    .describe('store a full state snapshot every this many events (replay cost is bounded by it)'),
});

/**
 * What an experiment file may hold: the experiment, and `$schema` (the JSON Schema editors read),
 * which validation accepts and drops, so it never reaches a run's stored experiment.
 */
export const ExperimentFileSchema = ExperimentSchema.extend({
  $schema: z.string().optional().describe('the JSON Schema of this file, for editors: "./experiment.schema.json"'),
});

export type Experiment = z.output<typeof ExperimentSchema>;

let jsonSchema: JsonSchema | undefined;
/** The JSON Schema of experiment files (experiments/experiment.schema.json), made on first use. */
export function experimentJsonSchema(): JsonSchema {
  jsonSchema ??= toExperimentJsonSchema(ExperimentFileSchema);
  return jsonSchema;
}

/**
 * Validate a raw experiment. Every error is reported at once (the schema's, then the checks
 * across fields), one line each naming the field, the value and what is allowed. A `$schema`
 * key (for editors) is accepted and dropped. `checkLimits`: whether `limits` names only cgroups
 * the workload sets up (off for a stored experiment, checked when its run began: a trace's setup
 * needs the trace file, which reading a finished run must not).
 */
export function parseExperiment(raw: unknown, source = 'experiment', checkLimits = true): Experiment {
  const r = ExperimentFileSchema.safeParse(raw);
  const errors = r.success ? [] : issueErrors(r.error.issues, raw, experimentJsonSchema());
  if (checkLimits) errors.push(...crossFieldErrors(raw));
  if (errors.length || !r.success) throw validationError(source, errors);
  const { $schema: _, ...exp } = r.data;
  return exp;
}

/**
 * Checks across fields, run on whichever parts are valid on their own (so they are reported
 * along with the schema's errors): `limits` may name only cgroups the workload's setup creates;
 * a bug variant needs the policy, LRU and mode whose code holds it.
 */
function crossFieldErrors(raw: unknown): FieldError[] {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const machine = ExperimentSchema.shape.machine.safeParse(o.machine);
  const concurrency = machine.success ? concurrencyErrors(machine.data.concurrency, machine.data.lru, o) : [];
  return [...limitErrors(raw), ...bugErrors(raw), ...concurrency];
}

function limitErrors(raw: unknown): FieldError[] {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const workload = WorkloadSchema.safeParse(o.workload);
  const limits = LimitsByCgroup.safeParse(o.limits ?? {});
  if (!workload.success || !limits.success) return [];
  const kind = workloadKind(workload.data);
  const setup = kind.setupCgroups(workload.data);
  return Object.keys(limits.data)
    .filter((path) => !setup.includes(path))
    .map((path) => ({ path: ['limits'], got: `got ${showValue(path)}`, allowed: kind.limitsHint(workload.data) }));
}

function bugErrors(raw: unknown): FieldError[] {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const shape = ExperimentSchema.shape;
  const policy = shape.policy.safeParse(o.policy);
  const machine = shape.machine.safeParse(o.machine);
  const options = shape.policyOptions.safeParse(o.policyOptions);
  if (!policy.success || !machine.success || !options.success || !options.data.bug) return [];
  const bug = options.data.bug;
  const why = bugMismatch(bug, {
    policy: policy.data,
    lru: machine.data.lru,
    mglru: options.data.mglru,
    cgroupReader: machine.data.concurrency.cgroupReader,
    agingWalk: machine.data.concurrency.agingWalk,
    lruBatch: machine.data.concurrency.lruBatch,
    memcgGetter: machine.data.concurrency.memcgGetter,
    thpSplitQueue: machine.data.concurrency.thpSplitQueue,
  });
  return why ? [{ path: ['policyOptions', 'bug'], got: `got ${showValue(bug)}`, allowed: why }] : [];
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
 * The parts of one dying memcg (src/kernel/memcg_size.ts) on the experiment's machine: the layout
 * machine.memcgLayout (default 7.1); objcgs per node under kernel 7.1, one under the posted v1 and
 * in the 5.18 layout. Null when machine.memcgSize overrides the sum.
 */
export function memcgSizePartsOf(e: Experiment): MemcgSizeParts | null {
  if (e.machine.memcgSize !== undefined) return null;
  const layout = e.machine.memcgLayout ?? DEFAULT_MEMCG_LAYOUT;
  const perNode = layout === '7.1' && kernelOf(e) === '7.1';
  return memcgSizeParts(layout, e.machine.cpus, e.machine.nodes, perNode ? 'per-node' : 'one');
}

/** machine.kernel (a run recorded before the field existed reads as the default, 7.1). */
export function kernelOf(e: Experiment): string {
  return e.machine.kernel ?? DEFAULT_KERNEL;
}

/** Bytes a dying memcg costs: machine.memcgSize, else the sum of its parts (memcgSizePartsOf). */
export function memcgSizeBytes(e: Experiment): number {
  if (e.machine.memcgSize !== undefined) return e.machine.memcgSize;
  return sumParts(memcgSizePartsOf(e)!);
}
