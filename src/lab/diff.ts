import { LabError } from '../errors.js';
import { type KernelView, MEMCG_DYING, MEMCG_ONLINE } from '../kernel/state.js';
import type { MemcgLifetime } from '../store/lifetimes.js';
import { readCgroupStat } from '../views/cgroup_stat.js';
import { hierarchicalStat, localStat, statValues } from '../views/memory_stat.js';

/**
 * The delta between two points of a run, per cgroup: memory.stat and cgroup.stat values at both,
 * and the cgroups created, removed (rmdir: offline, so dying) and freed between them. Pure: the
 * states and the memcgs projection rows come in, the delta goes out (lab/diff_run.ts feeds it).
 */

/** The files diff compares, in the order it prints them. */
export const DIFF_FILES = ['memory.stat', 'cgroup.stat'] as const;
export type DiffFile = (typeof DIFF_FILES)[number];

/**
 * `hierarchical`: memory.stat as the kernel prints it (a cgroup counts its descendants, rstat);
 * `local`: each cgroup's own part (the kernel's memcg_page_state_local, cgroup v1's memory.stat
 * without total_), so pages a reparent moves show as leaving the child and reaching the parent.
 */
export type StatMode = 'hierarchical' | 'local';

/** A memcg's state at a point: null before it was created. */
export type CgroupState = 'online' | 'dying' | 'freed' | null;

/** A live memcg at one point, with the values of each file diff compares. */
export interface CgroupAt {
  memcg: number;
  path: string;
  state: 'online' | 'dying';
  files: Record<DiffFile, Record<string, number>>;
}

/** What diff needs of one point: where it is and every live memcg's values there. */
export interface PointStats {
  seq: number;
  tick: number;
  cycle: number;
  cgroups: Map<number, CgroupAt>;
}

/** The values of every live memcg in a state (one pass over folios, then one over the tree). */
export function pointStats(s: KernelView, mode: StatMode): PointStats {
  const local = localStat(s);
  const vectors = mode === 'local' ? local : hierarchicalStat(s, local);
  const cgroups = new Map<number, CgroupAt>();
  for (const m of s.memcgs.values()) {
    if (m.state !== MEMCG_ONLINE && m.state !== MEMCG_DYING) continue; // freed memcgs leave the state; defensive
    cgroups.set(m.id, {
      memcg: m.id,
      path: m.path,
      state: m.state === MEMCG_ONLINE ? 'online' : 'dying',
      files: { 'memory.stat': statValues(vectors.get(m.id)!), 'cgroup.stat': { ...readCgroupStat(s, m) } },
    });
  }
  return { seq: s.seq, tick: s.tick, cycle: s.cycle, cgroups };
}

/** One key at both points: null where the cgroup did not exist; delta counts a missing side as 0. */
export interface KeyDelta {
  from: number | null;
  to: number | null;
  delta: number;
}

/** One cgroup's change: its state at both points, the seqs of its mkdir/rmdir/free between them, and its key deltas. */
export interface CgroupDiff {
  memcg: number;
  path: string;
  from: CgroupState;
  to: CgroupState;
  created: number | null;
  removed: number | null;
  freed: number | null;
  files: Record<DiffFile, Record<string, KeyDelta>>;
}

export interface DiffOptions {
  /** every key of every cgroup present at either point, changed or not */
  all?: boolean;
  /** only this cgroup path … */
  cgroup?: string;
  /** … and the cgroups below it */
  recursive?: boolean;
}

/**
 * The cgroups that changed between `a` and `b` (a.seq ≤ b.seq), by memcg id: a state change or a
 * key whose value moved. `lives` are the memcgs projection rows with an event in (a.seq, b.seq].
 */
export function diffPoints(a: PointStats, b: PointStats, lives: readonly MemcgLifetime[], opts: DiffOptions = {}): CgroupDiff[] {
  const between = (seq: number | null) => (seq !== null && seq > a.seq && seq <= b.seq ? seq : null);
  const life = new Map(lives.filter((l) => between(l.createdSeq) ?? between(l.offlineSeq) ?? between(l.freedSeq)).map((l) => [l.id, l]));
  const ids = [...new Set([...a.cgroups.keys(), ...b.cgroups.keys(), ...life.keys()])].sort((x, y) => x - y);
  const pathOf = (id: number) => (b.cgroups.get(id) ?? a.cgroups.get(id) ?? life.get(id))!.path;
  const wanted = ids.filter((id) => selected(pathOf(id), opts));
  if (opts.cgroup !== undefined && !wanted.length)
    throw new LabError(
      `no cgroup ${opts.cgroup} at seq ${a.seq}, at seq ${b.seq} or between them; the memcgs table lists every cgroup of the run`,
    );
  const out: CgroupDiff[] = [];
  for (const id of wanted) {
    const at = a.cgroups.get(id);
    const bt = b.cgroups.get(id);
    const l = life.get(id);
    // absent from a state: not created yet (a) or freed (b); a memcg in neither state was created and freed between
    const from: CgroupState = at ? at.state : null;
    const to: CgroupState = bt ? bt.state : at || l ? 'freed' : null;
    const files = {} as CgroupDiff['files'];
    let changed = from !== to;
    for (const file of DIFF_FILES) {
      const fa = at?.files[file];
      const fb = bt?.files[file];
      const keys = Object.keys(fb ?? fa ?? {});
      files[file] = {};
      for (const k of keys) {
        const d = { from: fa ? fa[k] : null, to: fb ? fb[k] : null, delta: (fb?.[k] ?? 0) - (fa?.[k] ?? 0) };
        if (d.delta === 0 && !opts.all) continue;
        if (d.delta !== 0) changed = true;
        files[file][k] = d;
      }
    }
    if (!changed && !opts.all) continue;
    out.push({
      memcg: id,
      path: pathOf(id),
      from,
      to,
      created: between(l?.createdSeq ?? null),
      removed: between(l?.offlineSeq ?? null),
      freed: between(l?.freedSeq ?? null),
      files,
    });
  }
  return out;
}

/** --cgroup P: P itself; with --recursive, P and every cgroup below it. */
function selected(path: string, { cgroup, recursive }: DiffOptions): boolean {
  if (cgroup === undefined || path === cgroup) return true;
  return !!recursive && (cgroup === '/' || path.startsWith(`${cgroup}/`));
}
