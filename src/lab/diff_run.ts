import { LabError } from '../errors.js';
import type { Store } from '../store/db.js';
import { memcgLifetimesBetween } from '../store/lifetimes.js';
import { type CgroupDiff, type DiffOptions, diffPoints, pointStats, type StatMode } from './diff.js';
import { type ReplayTarget, replayState } from './replay.js';

/** A point as the user gave it (`cycle:10`), and the target it means; an empty target is the end of the log. */
export interface DiffPoint {
  label: string;
  target: ReplayTarget;
}

/** Where a point landed in the log. */
export interface PointInfo {
  point: string;
  seq: number;
  tick: number;
  cycle: number;
}

export interface DiffReport {
  runId: number;
  from: PointInfo;
  to: PointInfo;
  /** memory.stat values: hierarchical (as the kernel prints them) or each cgroup's own */
  values: StatMode;
  cgroups: CgroupDiff[];
}

/**
 * The memory.stat and cgroup.stat deltas of a run's cgroups between two points: two replays from
 * their nearest snapshots (the one fold, via replayState), the memcgs created/removed/freed
 * between them from the projection, and the pure delta of lab/diff.ts.
 */
export function diffRun(
  store: Store,
  runId: number,
  from: DiffPoint,
  to: DiffPoint,
  opts: DiffOptions & { values?: StatMode } = {},
): DiffReport {
  const values = opts.values ?? 'hierarchical';
  const sa = replayState(store, runId, from.target, `--from ${from.label}`);
  const a = pointStats(sa, values);
  const sb = replayState(store, runId, to.target, `--to ${to.label}`);
  const b = pointStats(sb, values);
  if (a.seq > b.seq)
    throw new LabError(
      `--from ${from.label} (seq ${a.seq}) is after --to ${to.label} (seq ${b.seq}); give the earlier point as --from, e.g. --from ${to.label} --to ${from.label}`,
    );
  const lives = memcgLifetimesBetween(store, runId, a.seq, b.seq);
  const info = (p: DiffPoint, x: { seq: number; tick: number; cycle: number }): PointInfo => ({
    point: p.label,
    seq: x.seq,
    tick: x.tick,
    cycle: x.cycle,
  });
  return { runId, from: info(from, a), to: info(to, b), values, cgroups: diffPoints(a, b, lives, opts) };
}
