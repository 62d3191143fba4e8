import type { Store } from '../store/db.js';
import type { RunRow } from '../store/runs.js';
import { runTagsOf, type Tags } from '../store/tags.js';
import { type DyingParts, dyingParts } from './dying_parts.js';
import type { Metrics } from './metrics.js';
import { effectiveMode, policyLabel, policyOfExperiment } from './policy_label.js';
import { effectiveStatus, storedExperimentJson, storedMetrics } from './runs.js';

/**
 * A run as every command shows it (runs, show, run, resume, compare, sweep: `--json` prints this
 * object, with these keys, everywhere). `policy` is the effective policy label (policy_label.ts),
 * `mode` the MGLRU reparent mode it ran (null for legacy and on the classic LRU), `status` the
 * effective status (a dead writer's run is interrupted), sizes in bytes.
 */
export interface RunView {
  id: number;
  name: string;
  policy: string;
  lru: string;
  mode: string | null;
  seed: number;
  status: RunRow['status'];
  error: string | null;
  events: number;
  cycles: number;
  stateHash: string | null;
  startedAt: string;
  finishedAt: string | null;
  codeVersion: string;
  schemaVersion: number;
  sweep: number | null;
  cell: number | null;
  tags: Tags;
  note: string | null;
  metrics: Metrics | null;
  /** metrics.dying_bytes by part of the dying-memcg size (dying_percpu, dying_memcg_struct, …); null without metrics */
  dying: DyingParts | null;
  /** the resolved experiment as the run recorded it (null in a listing when the stored JSON is damaged) */
  experiment: Record<string, unknown> | null;
}

/**
 * The view of one run. Damaged stored JSON (experiment, metrics) is an error naming the run, or,
 * with `lenient` (listings, where one damaged run must not hide the others), null there and a
 * `damaged` note for the caller to print.
 */
export function runView(r: RunRow, tags: Tags = {}, lenient?: { damaged: string[] }): RunView {
  const tolerant = <T>(read: () => T): T | null => {
    if (!lenient) return read();
    try {
      return read();
    } catch (e) {
      lenient.damaged.push((e as Error).message);
      return null;
    }
  };
  const experiment = tolerant(() => storedExperimentJson(r) as Record<string, unknown>);
  const p = { ...policyOfExperiment(experiment), policy: r.policy, lru: r.lru };
  const metrics = tolerant(() => storedMetrics(r));
  return {
    id: r.id,
    name: r.name,
    policy: policyLabel(p),
    lru: r.lru,
    mode: effectiveMode(p),
    seed: r.seed,
    status: effectiveStatus(r),
    error: r.error,
    events: r.events,
    cycles: r.cycles,
    stateHash: r.stateHash,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    codeVersion: r.codeVersion,
    schemaVersion: r.schemaVersion,
    sweep: r.sweep ?? null,
    cell: r.sweepCell ?? null,
    tags,
    note: r.note ?? null,
    metrics,
    dying: dyingParts(experiment, metrics),
    experiment,
  };
}

/** Views of these runs, their tags read in one query. */
export function runViews(store: Store, rows: readonly RunRow[], lenient?: { damaged: string[] }): RunView[] {
  const tags = runTagsOf(
    store,
    rows.map((r) => r.id),
  );
  return rows.map((r) => runView(r, tags.get(r.id), lenient));
}

/** The experiment's own name (a run's name defaults to it). */
export function experimentName(v: RunView): string {
  return String(v.experiment?.name ?? '');
}
