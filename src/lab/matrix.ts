import { createHash } from 'node:crypto';
import { LabError } from '../errors.js';
import { resolvePolicyAlias } from '../policy/policies.js';
import { applyOverrides, type Experiment, parseExperiment } from './experiment.js';
import { experimentLabel } from './policy_label.js';
import type { Shard } from './shards.js';
import { pinTrace, resolveTracePath } from './trace_file.js';

/** One `--set path=v1,v2,…` axis of a sweep: the values are `--set` texts (JSON when they parse). */
export interface SetAxis {
  path: string;
  values: string[];
}

/** What a sweep covers; stored as the sweep's `matrix` JSON, so a sweep can be resumed without its file. */
export interface Matrix {
  /** the experiment file as given, and its contents when the sweep was made */
  file: string;
  raw: unknown;
  /** `--set` overrides that take one value (applied to every cell) */
  base: string[];
  /** names `compare --policies` accepts: policies or MGLRU reparent modes */
  policies: string[];
  seeds: number[];
  axes: SetAxis[];
  /** the slice of the cells this database runs (`sweep --shard i/N`); absent: all of them */
  shard?: Shard;
}

/**
 * What makes two sweeps the same sweep, wherever they ran: the name and the matrix (experiment
 * file and contents, overrides, policies, seeds, axes), not the shard, the tags or the time.
 * Shards of one sweep share it; merge unifies sweeps by it.
 */
export function sweepKey(name: string, m: Matrix): string {
  const { file, raw, base, policies, seeds, axes } = m;
  return createHash('sha256')
    .update(JSON.stringify([name, file, raw, base, policies, seeds, axes]))
    .digest('hex');
}

/** One run of a sweep. */
export interface Cell {
  /** position in the expansion order */
  index: number;
  policy: string;
  seed: number;
  /** this cell's value of each axis, as `path=value` */
  sets: string[];
  exp: Experiment;
}

/** `1..5`, `3`, `1,2,7` or a mix (`1..3,10`): the seeds, in the order given, without repeats. */
export function parseSeeds(text: string): number[] {
  const out: number[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = part.match(/^(\d+)(?:\.\.(\d+))?$/);
    if (!m) throw new LabError(`--seeds ${text}: expected N, A..B or a comma-separated list of them, e.g. --seeds 1..5`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new LabError(`--seeds ${part}: the range goes down; write ${b}..${a}`);
    if (b - a > 100_000) throw new LabError(`--seeds ${part}: more than 100000 seeds`);
    for (let s = a; s <= b; s++) if (!out.includes(s)) out.push(s);
  }
  if (!out.length) throw new LabError('--seeds is empty; e.g. --seeds 1..5');
  return out;
}

/**
 * Split `--set` options into one-value overrides (`base`) and axes (`path=v1,v2,…`). Values are
 * split on commas outside brackets and quotes, so `--set 'workload.access={"dist":"zipf","alpha":1}'`
 * stays one value.
 */
export function parseSets(sets: readonly string[]): { base: string[]; axes: SetAxis[] } {
  const base: string[] = [];
  const axes: SetAxis[] = [];
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new LabError(`--set ${s}: expected path=value or path=v1,v2,…, e.g. --set workload.cycles=100,200`);
    const path = s.slice(0, eq);
    const values = splitTopLevel(s.slice(eq + 1));
    if (values.length === 1) base.push(s);
    else if (axes.some((a) => a.path === path)) throw new LabError(`--set ${path}: given twice`);
    else axes.push({ path, values });
  }
  return { base, axes };
}

function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') cur += text[i++] ?? '';
      else if (c === '"') quote = false;
    } else if (c === '"') quote = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * An experiment under a `compare --policies` name: 'tail' → reparent with policyOptions.mglru =
 * 'tail'. An MGLRU mode on the classic LRU is refused: it would silently run plain reparent.
 */
export function withPolicyAlias(exp: Experiment, alias: string): Experiment {
  const { policy, mglru } = resolvePolicyAlias(alias);
  if (mglru && exp.machine.lru !== 'mglru')
    throw new LabError(
      `--policies ${alias}: ${alias} is an MGLRU reparent mode, and ${exp.name} uses the classic LRU, where reparent ` +
        `splices each list to the parent's tail whatever the mode (${alias} would equal plain reparent); ` +
        `use reparent, or --set machine.lru='"mglru"'`,
    );
  return { ...exp, policy, policyOptions: { ...exp.policyOptions, mglru: mglru ?? exp.policyOptions.mglru } };
}

/**
 * The experiment under each of `aliases`; two names that run the same effective policy
 * (`reparent` and `same-gen` on MGLRU) are refused: their runs would be the same run twice.
 */
export function underPolicies(exp: Experiment, aliases: readonly string[]): Experiment[] {
  const exps = aliases.map((a) => withPolicyAlias(exp, a));
  const labels = exps.map(experimentLabel);
  const dup = labels.findIndex((l, i) => labels.indexOf(l) !== i);
  if (dup >= 0) {
    const first = labels.indexOf(labels[dup]);
    throw new LabError(
      `--policies ${aliases[first]} and ${aliases[dup]} both run ${labels[dup]} on ${exp.name} (${exp.machine.lru} LRU); list it once`,
    );
  }
  return exps;
}

/**
 * Expand a matrix into its cells, in a fixed order: the axes in the order given (the first
 * `--set` outermost, each in its values' order), then the policies in the order given, then the
 * seeds (innermost). A sweep's run ids follow this order, so the same command makes the same
 * runs with the same ids in a fresh database, whatever --jobs is.
 */
export function expandMatrix(m: Matrix): Cell[] {
  for (const p of m.policies) resolvePolicyAlias(p);
  let combos: string[][] = [[]];
  for (const axis of m.axes) combos = combos.flatMap((c) => axis.values.map((v) => [...c, `${axis.path}=${v}`]));
  const cells: Cell[] = [];
  for (const sets of combos) {
    const where = sets.length ? `${m.file} with ${sets.join(', ')}` : m.file;
    const bySeed = m.seeds.map((seed) =>
      underPolicies(
        pinTrace(parseExperiment(resolveTracePath(applyOverrides(m.raw, [...m.base, ...sets, `seed=${seed}`]), m.file), where)),
        m.policies,
      ),
    );
    m.policies.forEach((policy, p) => {
      m.seeds.forEach((seed, s) => {
        cells.push({ index: cells.length, policy, seed, sets, exp: bySeed[s][p] });
      });
    });
  }
  return cells;
}
