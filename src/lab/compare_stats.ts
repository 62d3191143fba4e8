import { LabError } from '../errors.js';
import type { Store } from '../store/db.js';
import type { RunRow } from '../store/runs.js';
import { runsByIds, sweepRuns } from '../store/sweeps.js';
import type { CompareEntry } from './compare.js';
import { METRIC_NAMES } from './metrics.js';
import { labelMatches } from './policy_label.js';
import { runViews } from './run_view.js';
import { summarize, welchP } from './stats.js';
import { getSweep } from './sweep.js';

/** A finished run (the run view: compare groups by its effective policy, `policy`). */
export type StatRun = CompareEntry & { experiment: Record<string, unknown> };

export interface MetricStat {
  n: number;
  mean: number | null;
  sd: number | null;
  /** half-width of the 95% CI of the mean (Student t, n − 1 df) */
  ci95: number | null;
  /** mean / the baseline's mean (null when that is 0 or missing) */
  ratio: number | null;
  /** Welch's t-test against the baseline, two-sided (null for the baseline or below two seeds) */
  p: number | null;
  /** p ≥ 0.05: not told apart from the baseline over these seeds */
  withinNoise: boolean | null;
}

export interface PolicyGroup {
  policy: string;
  runs: number[];
  seeds: number[];
}

export interface StatsComparison {
  baseline: string;
  groups: PolicyGroup[];
  /** metric → policy → stats */
  metrics: { metric: string; byPolicy: Record<string, MetricStat> }[];
  legend: string;
}

export const NOISE_P = 0.05;
export const LEGEND =
  'mean ± half-width of the 95% CI over seeds (Student t, n−1 df); ratio = mean / baseline mean; ' +
  `~ = not told apart from the baseline: Welch's t-test p ≥ ${NOISE_P}`;

/** Finished runs as compare takes them; a run that is not done is an error naming it. */
function toStatRuns(store: Store, rows: RunRow[]): StatRun[] {
  return runViews(store, rows).map((v) => {
    if (v.status !== 'done' || !v.metrics || !v.stateHash || !v.experiment) {
      const how = v.status === 'interrupted' ? `; finish it with: memcglab resume ${v.id}` : '';
      throw new LabError(`run ${v.id} is ${v.status}, not done; only finished runs can be compared${how}`);
    }
    return v as StatRun;
  });
}

/** Finished runs by id, in the order given; an unknown id is an error. */
export function statRunsByIds(store: Store, ids: number[]): StatRun[] {
  const rows = runsByIds(store, ids);
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) throw new LabError(`no run ${missing.join(', ')} in ${store.path}; list runs with: memcglab runs --db ${store.path}`);
  return toStatRuns(store, rows);
}

/**
 * The finished runs of a sweep, in matrix order, optionally only those whose experiment has
 * `path` = value for each `where` (`workload.cycles=100`), to pick one slice of a grid.
 */
export function statRunsOfSweep(store: Store, id: number, where: readonly string[] = []): StatRun[] {
  getSweep(store, id);
  let rows = sweepRuns(store, id);
  for (const w of where) {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new LabError(`--where ${w}: expected path=value, e.g. --where workload.cycles=100`);
    const path = w.slice(0, eq).split('.');
    const want = parseValue(w.slice(eq + 1));
    rows = rows.filter((r) => JSON.stringify(at(JSON.parse(r.experiment), path)) === JSON.stringify(want));
  }
  if (!rows.length) throw new LabError(`sweep ${id} has no run${where.length ? ` with ${where.join(', ')}` : ''}`);
  const notDone = rows.filter((r) => r.status !== 'done');
  if (notDone.length) {
    throw new LabError(
      `sweep ${id}: ${notDone.length} of ${rows.length} runs are not done (run ${notDone[0].id} is ${notDone[0].status}); finish them with: memcglab sweep --resume ${id}`,
    );
  }
  return toStatRuns(store, rows);
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function at(o: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
}

/** Paths (a.b.c) where two JSON values differ, with both values. */
function diff(a: unknown, b: unknown, path = ''): { path: string; a: unknown; b: unknown }[] {
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: path || '(experiment)', a, b }];
}

/**
 * What differs between the runs' experiments besides the compared dimension (policy and its
 * options) and the seed: one line, or undefined when they are comparable.
 */
export function mismatch(runs: StatRun[]): string | undefined {
  // machine.kernel is part of the policy label (reparent/same-gen@v1), so runs may differ in it
  const strip = (e: Record<string, unknown>) => {
    const { seed: _s, policy: _p, policyOptions: _o, ...rest } = e;
    if (!rest.machine || typeof rest.machine !== 'object') return rest;
    const { kernel: _k, ...machine } = rest.machine as Record<string, unknown>;
    return { ...rest, machine };
  };
  const first = runs[0];
  for (const r of runs.slice(1)) {
    const d = diff(strip(first.experiment), strip(r.experiment));
    if (d.length) {
      const what = d
        .slice(0, 3)
        .map((x) => `${x.path} (${JSON.stringify(x.a)} vs ${JSON.stringify(x.b)})`)
        .join(', ');
      return `runs ${first.id} and ${r.id} differ in ${what}${d.length > 3 ? ` and ${d.length - 3} more` : ''}, not only in policy, kernel and seed`;
    }
  }
  return undefined;
}

/** Runs grouped by policy label, in order of first appearance. */
export function groupByPolicy(runs: StatRun[]): Map<string, StatRun[]> {
  const groups = new Map<string, StatRun[]>();
  for (const r of runs) groups.set(r.policy, [...(groups.get(r.policy) ?? []), r]);
  return groups;
}

/**
 * Per metric and policy over the seeds: mean, 95% CI (Student t), ratio to the baseline's mean and
 * Welch's t-test against the baseline. Baseline: `baseline`, else the first policy listed.
 */
export function compareStats(runs: StatRun[], baseline?: string): StatsComparison {
  const groups = groupByPolicy(runs);
  const base = baseline === undefined ? [...groups.keys()][0] : baselineLabel([...groups.keys()], baseline);
  const values = (rs: StatRun[], m: string) =>
    rs.map((r) => (r.metrics as unknown as Record<string, number | null>)[m]).filter((v): v is number => typeof v === 'number');
  const metrics = [...METRIC_NAMES, 'events'].map((metric) => {
    const get = (rs: StatRun[]) => (metric === 'events' ? rs.map((r) => r.events) : values(rs, metric));
    const bv = get(groups.get(base)!);
    const bmean = bv.length ? summarize(bv).mean : null;
    const byPolicy: Record<string, MetricStat> = {};
    for (const [policy, rs] of groups) {
      const v = get(rs);
      const s = summarize(v);
      const p = policy === base ? null : welchP(v, bv);
      byPolicy[policy] = {
        n: s.n,
        mean: s.n ? s.mean : null,
        sd: s.n ? s.sd : null,
        ci95: s.ci95,
        ratio: s.n && bmean ? s.mean / bmean : null,
        p,
        withinNoise: p === null ? null : p >= NOISE_P,
      };
    }
    return { metric, byPolicy };
  });
  return {
    baseline: base,
    groups: [...groups].map(([policy, rs]) => ({ policy, runs: rs.map((r) => r.id), seeds: rs.map((r) => r.seed) })),
    metrics,
    legend: LEGEND,
  };
}

/** The group `--baseline` names: its label, or a policy or MGLRU mode that names exactly one group (`tail`). */
function baselineLabel(labels: string[], query: string): string {
  const hits = labels.filter((l) => labelMatches(l, query));
  if (hits.length === 1) return hits[0];
  throw new LabError(
    `--baseline ${query}: ${hits.length ? `matches ${hits.join(' and ')}; name one` : 'no run of that policy here'}; policies: ${labels.join(', ')}`,
  );
}
