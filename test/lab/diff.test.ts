import { describe, expect, it } from 'vitest';
import { LabError } from '../../src/errors.js';
import { PAGE_SIZE, ROOT_MEMCG } from '../../src/kernel/constants.js';
import { E, EventType, FOLIO_FILE, MACHINE_OBJCG } from '../../src/kernel/events.js';
import { pageCacheKey } from '../../src/kernel/state.js';
import { type CgroupDiff, diffPoints, type PointStats, pointStats, type StatMode } from '../../src/lab/diff.js';
import { mkdir, rmdir } from '../../src/policy/cgroup.js';
import { getPolicy } from '../../src/policy/policies.js';
import type { MemcgLifetime } from '../../src/store/lifetimes.js';
import { TestCtx } from '../helpers.js';

/**
 * A reparenting run by hand: /system.slice (2) holds 2 file pages, job@1 (3) 6; at point A job@1
 * is online; then job@1 is removed (reparented and freed at once) and job@2 (4) is created and
 * removed, so it lives and dies between the points; at point B /system.slice alone is left.
 */
function scenario(policy: 'reparent' | 'legacy', mode: StatMode) {
  const ctx = new TestCtx(getPolicy(policy));
  ctx.emit(E.machine(10_000, policy === 'reparent' ? MACHINE_OBJCG : 0));
  ctx.emit(E.memcgCreate(2, ROOT_MEMCG, 'system.slice'));
  ctx.emit(E.memcgCreate(3, 2, 'job@1.service'));
  for (let i = 0; i < 8; i++) ctx.emit(E.charge(i + 1, i < 2 ? 2 : 3, FOLIO_FILE, pageCacheKey(1, i)));
  const a = pointStats(ctx.s, mode);
  rmdir(ctx, 3);
  const job2 = mkdir(ctx, 2, 'job@2.service');
  rmdir(ctx, job2);
  const b = pointStats(ctx.s, mode);
  return { a, b, lives: lifetimes(ctx.log, a.seq, b.seq) };
}

/** The memcgs projection rows with an event in (from, to], built from the log as the projection is. */
function lifetimes(log: { seq: number; type: number; memcg: number; data?: string | null }[], from: number, to: number): MemcgLifetime[] {
  const rows = new Map<number, MemcgLifetime>();
  for (const e of log) {
    if (e.type === EventType.memcg_create)
      rows.set(e.memcg, { id: e.memcg, path: PATHS[e.memcg], createdSeq: e.seq, offlineSeq: null, freedSeq: null });
    if (e.type === EventType.memcg_offline) rows.get(e.memcg)!.offlineSeq = e.seq;
    if (e.type === EventType.memcg_free) rows.get(e.memcg)!.freedSeq = e.seq;
  }
  const within = (s: number | null) => s !== null && s > from && s <= to;
  return [...rows.values()].filter((r) => within(r.createdSeq) || within(r.offlineSeq) || within(r.freedSeq));
}

const PATHS: Record<number, string> = { 2: '/system.slice', 3: '/system.slice/job@1.service', 4: '/system.slice/job@2.service' };
const byId = (d: CgroupDiff[]) => new Map(d.map((c) => [c.memcg, c]));
const FILE = 6 * PAGE_SIZE;

describe('diffPoints', () => {
  it('hierarchical: the removed child leaves with its pages, the parent (which counted them already) does not move', () => {
    const { a, b, lives } = scenario('reparent', 'hierarchical');
    const d = byId(diffPoints(a, b, lives));
    const child = d.get(3)!;
    expect(child).toMatchObject({ from: 'online', to: 'freed', created: null, removed: expect.any(Number), freed: expect.any(Number) });
    expect(child.files['memory.stat'].file).toEqual({ from: FILE, to: null, delta: -FILE });
    expect(d.get(2)!.files['memory.stat']).toEqual({}); // hierarchical: still 8 pages
    expect(d.get(2)!.files['cgroup.stat'].nr_descendants).toEqual({ from: 1, to: 0, delta: -1 });
    // created and freed between the points: in neither state, only its lifecycle
    expect(d.get(4)).toMatchObject({ from: null, to: 'freed', files: { 'memory.stat': {}, 'cgroup.stat': {} } });
    expect(d.get(4)!.created).toBeLessThan(d.get(4)!.freed!);
  });

  it("local: the reparent shows as the child's pages reaching its parent, and every key's deltas sum to what the root saw", () => {
    const { a, b, lives } = scenario('reparent', 'local');
    const d = byId(diffPoints(a, b, lives));
    expect(d.get(3)!.files['memory.stat'].file.delta).toBe(-FILE);
    expect(d.get(2)!.files['memory.stat'].file).toEqual({ from: 2 * PAGE_SIZE, to: 8 * PAGE_SIZE, delta: FILE });
    const hier = byId(diffPoints(...hierPair(), []));
    for (const key of Object.keys(a.cgroups.get(2)!.files['memory.stat'])) {
      let sum = 0;
      for (const c of d.values()) sum += c.files['memory.stat'][key]?.delta ?? 0;
      expect(sum, key).toBe(hier.get(ROOT_MEMCG)?.files['memory.stat'][key]?.delta ?? 0);
    }
  });

  it('legacy: the removed child stays dying with its pages (no freed seq)', () => {
    const { a, b, lives } = scenario('legacy', 'hierarchical');
    const child = byId(diffPoints(a, b, lives)).get(3)!;
    expect(child).toMatchObject({ from: 'online', to: 'dying', freed: null });
    expect(child.files['memory.stat']).toEqual({}); // its pages did not move
  });

  it('every delta is to − from with a missing side as 0; --all lists unchanged keys and cgroups too', () => {
    const { a, b, lives } = scenario('reparent', 'local');
    const all = diffPoints(a, b, lives, { all: true });
    expect(all.map((c) => c.memcg)).toEqual([1, 2, 3, 4]);
    for (const c of all)
      for (const f of Object.values(c.files)) for (const k of Object.values(f)) expect(k.delta).toBe((k.to ?? 0) - (k.from ?? 0));
    expect(Object.keys(all[0].files['memory.stat'])).toContain('pgscan');
    const changed = diffPoints(a, b, lives);
    expect(changed.map((c) => c.memcg)).toEqual([1, 2, 3, 4]);
    expect(changed[0].files).toEqual({ 'memory.stat': {}, 'cgroup.stat': { nr_descendants: { from: 2, to: 1, delta: -1 } } }); // locally the root's pages did not move
  });

  it('--cgroup selects one path, -r its subtree; an unknown path is a LabError', () => {
    const { a, b, lives } = scenario('reparent', 'local');
    expect(diffPoints(a, b, lives, { cgroup: '/system.slice' }).map((c) => c.memcg)).toEqual([2]);
    expect(diffPoints(a, b, lives, { cgroup: '/system.slice', recursive: true }).map((c) => c.memcg)).toEqual([2, 3, 4]);
    expect(diffPoints(a, b, lives, { cgroup: '/', recursive: true, all: true }).map((c) => c.memcg)).toEqual([1, 2, 3, 4]);
    expect(() => diffPoints(a, b, lives, { cgroup: '/nope.slice' })).toThrow(LabError);
  });

  it('the same point twice: nothing changed', () => {
    const { a, b, lives } = scenario('reparent', 'hierarchical');
    expect(diffPoints(a, a, lives)).toEqual([]); // rows with no event between the points are ignored
    expect(diffPoints(b, b, lives)).toEqual([]);
  });
});

/** Hierarchical stats at the same two points as the local scenario. */
function hierPair(): [PointStats, PointStats] {
  const { a, b } = scenario('reparent', 'hierarchical');
  return [a, b];
}
