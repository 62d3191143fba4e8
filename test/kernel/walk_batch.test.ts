import { describe, expect, it } from 'vitest';
import { ROOT_MEMCG } from '../../src/kernel/constants.js';
import { deserializeState } from '../../src/kernel/deserialize.js';
import { E, EVENT_NAMES, GEN_UPDATE_BATCHED, MACHINE_MGLRU, MACHINE_OBJCG } from '../../src/kernel/events.js';
import { checkInvariants } from '../../src/kernel/invariants.js';
import { lruGenFromSeq } from '../../src/kernel/lru_gen.js';
import { lruvecOf } from '../../src/kernel/node.js';
import { serializeState } from '../../src/kernel/serialize.js';
import { seriesSwitches } from '../../src/kernel/series.js';
import { MEMCG_DYING } from '../../src/kernel/state.js';
import { mkdir, rmdir } from '../../src/policy/cgroup.js';
import { faultAnon } from '../../src/policy/pagecache.js';
import { getPolicy } from '../../src/policy/policies.js';
import { freeIfUnpinned } from '../../src/policy/release.js';
import { TestCtx } from '../helpers.js';

// The stale aging batch (Peiyang He, after the merge; fix 20260622073703.79258-1-qi.zheng@linux.dev):
// the MGLRU walk batches folio_update_gen()'s size changes (update_batch_size) and writes them
// with reset_batch_size() into walk->lruvec; a reparent in between leaves the batch pointed at
// the dead child. The fix (lrugen->reparented, lock_batch_lruvec) forwards it to the parent.

/** job@1 (3) under /system.slice (2) on MGLRU, with `n` young mapped anon folios promoted once (second chance used). */
function setup(fix: boolean, n = 4) {
  const policy = getPolicy('reparent', 'same-gen', seriesSwitches('7.1', { mglru_batch_forwarding: fix }));
  const ctx = new TestCtx(policy, false);
  ctx.emit(E.machine(100_000, MACHINE_MGLRU | MACHINE_OBJCG));
  mkdir(ctx, ROOT_MEMCG, 'system.slice');
  mkdir(ctx, 2, 'job@1.service');
  ctx.emit(E.jobStart(3, 1));
  const folios = Array.from({ length: n }, () => faultAnon(ctx, 3));
  const g = lruvecOf(ctx.s.memcgs.get(3)!, 0).lrugen;
  ctx.emit(E.age(3, 3)); // a younger gen to promote into
  const newGen = lruGenFromSeq(g.maxSeq);
  ctx.emit(E.walkStart(3, 0, g.maxSeq));
  for (const f of folios) ctx.emit(E.genUpdate(f, newGen, GEN_UPDATE_BATCHED)); // first sighting: PG_referenced
  for (const f of folios) ctx.s.folios.get(f)!.young = true;
  for (const f of folios) ctx.emit(E.genUpdate(f, newGen, GEN_UPDATE_BATCHED)); // promoted, size batched
  return { ctx, folios };
}

const names = (ctx: TestCtx) => ctx.log.map((e) => EVENT_NAMES[e.type]);

describe('the MGLRU walk batch across a reparent', () => {
  it('while the batch is pending, nr_pages plus the batch equals the folios; the walk holds a css ref', () => {
    const { ctx } = setup(false);
    expect(ctx.s.walk!.delta.some((d) => d !== 0)).toBe(true);
    expect(checkInvariants(ctx.s)).toEqual([]);
    // a snapshot mid-walk keeps the batch (a trailer after the usual encoding)
    const back = deserializeState(serializeState(ctx.s));
    expect(back.walk).toEqual(ctx.s.walk);
    expect(serializeState(back).equals(serializeState(ctx.s))).toBe(true);
  });

  it('7.1 as merged: the reparent leaves the batch pointed at the dead child; reset_batch_size writes it there', () => {
    const { ctx } = setup(false);
    ctx.emit(E.jobExit(3, 1));
    rmdir(ctx, 3);
    expect(ctx.s.memcgs.get(3)!.state).toBe(MEMCG_DYING); // the walker's css ref keeps it
    const v = checkInvariants(ctx.s);
    expect(v.map((x) => x.invariant)).toContain('nr_pages');
    expect(v.some((x) => /^\/system\.slice gen/.test(x.detail))).toBe(true); // the parent got the folios, not their sizes
    expect(v.some((x) => /job@1\.service gen .* batched/.test(x.detail))).toBe(true);
    ctx.emit(E.walkFlush(3, 0));
    expect(lruvecOf(ctx.s.memcgs.get(3)!, 0).lrugen.nrPages.some((n) => n !== 0)).toBe(true); // what lru_gen_exit_memcg WARNs on
    ctx.emit(E.walkEnd(3, 0));
    freeIfUnpinned(ctx, 3);
    expect(ctx.s.memcgs.has(3)).toBe(false); // freed anyway (a WARN, not a BUG)
    expect(checkInvariants(ctx.s).map((x) => x.invariant)).toContain('nr_pages'); // the parent stays wrong
  });

  it('with the fix the batch follows the reparent to the parent (walk_forward under the locks) and nothing breaks', () => {
    const { ctx } = setup(true);
    ctx.emit(E.jobExit(3, 1));
    rmdir(ctx, 3);
    const seq = names(ctx);
    expect(seq.indexOf('walk_forward')).toBeGreaterThan(seq.lastIndexOf('splice'));
    expect(seq.indexOf('walk_forward')).toBeLessThan(seq.lastIndexOf('reparent_unlocks'));
    expect(ctx.s.walk!.home).toBe(2);
    expect(checkInvariants(ctx.s)).toEqual([]);
    ctx.emit(E.walkFlush(2, 0));
    ctx.emit(E.walkEnd(3, 0));
    freeIfUnpinned(ctx, 3);
    expect(ctx.s.memcgs.has(3)).toBe(false);
    expect(checkInvariants(ctx.s)).toEqual([]);
  });

  it('evolve refuses a flush to another lruvec than the batch names, an end before the flush, a second walk', () => {
    const { ctx } = setup(false);
    expect(() => ctx.emit(E.walkFlush(2, 0))).toThrow(/lands in memcg 3/);
    expect(() => ctx.emit(E.walkEnd(3, 0))).toThrow(/not flushed/);
    expect(() => ctx.emit(E.walkStart(2, 0, lruvecOf(ctx.s.memcgs.get(2)!, 0).lrugen.maxSeq))).toThrow(/already running/);
  });
});
