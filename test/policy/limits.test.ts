import { describe, expect, it } from 'vitest';
import { ROOT_MEMCG } from '../../src/kernel/constants.js';
import { E, LIMIT_HIGH, LIMIT_MAX, MACHINE_MGLRU, MACHINE_OBJCG } from '../../src/kernel/events.js';
import { pageCacheKey } from '../../src/kernel/state.js';
import { faultAnon, readPage } from '../../src/policy/pagecache.js';
import { getPolicy } from '../../src/policy/policies.js';
import { TestCtx } from '../helpers.js';

const MiB = 256; // pages

/** A job cgroup under /system.slice on a roomy machine, classic or MGLRU. */
function job(lru: 'classic' | 'mglru'): TestCtx {
  const ctx = new TestCtx(getPolicy('reparent'), false); // large runs: invariants are covered by the property tests
  ctx.emit(E.machine(1024 * MiB, MACHINE_OBJCG | (lru === 'mglru' ? MACHINE_MGLRU : 0)));
  ctx.emit(E.memcgCreate(2, ROOT_MEMCG, 'system.slice'));
  ctx.emit(E.memcgCreate(3, 2, 'job@1.service'));
  return ctx;
}

// The cgroup v2 selftests' expectations (reference §7.6–7.7), at their sizes.
for (const lru of ['classic', 'mglru'] as const) {
  describe(`memory.max and memory.high (${lru})`, () => {
    it('memory.max 30M: 50M of page cache keeps memory.current at or below 30M and above 0', () => {
      const ctx = job(lru);
      ctx.emit(E.limitSet(3, LIMIT_MAX, 30 * MiB));
      let peak = 0;
      for (let i = 0; i < 50 * MiB; i++) {
        ctx.advance();
        readPage(ctx, 3, pageCacheKey(1, i));
        peak = Math.max(peak, ctx.s.memcgs.get(3)!.memory);
      }
      expect(peak).toBeLessThanOrEqual(30 * MiB);
      expect(ctx.s.memcgs.get(3)!.memory).toBeGreaterThan(0);
      expect(ctx.s.memcgs.get(3)!.stat[3]).toBeGreaterThan(0); // pgsteal: limit reclaim ran
    });

    it('memory.high 30M: 50M of page cache ends with memory.current within 5% of 30M', () => {
      const ctx = job(lru);
      ctx.emit(E.limitSet(3, LIMIT_HIGH, 30 * MiB));
      for (let i = 0; i < 50 * MiB; i++) {
        ctx.advance();
        readPage(ctx, 3, pageCacheKey(1, i));
      }
      const current = ctx.s.memcgs.get(3)!.memory;
      expect(Math.abs(current - 30 * MiB) / (30 * MiB)).toBeLessThan(0.05);
    });

    it('memory.max 30M without swap: 100M of anon is OOM-killed (oom 1, oom_kill 1, 18 max events), nothing throws', () => {
      const ctx = job(lru);
      ctx.emit(E.jobStart(3, 1));
      ctx.emit(E.limitSet(3, LIMIT_MAX, 30 * MiB));
      let faults = 0;
      for (let i = 0; i < 100 * MiB && !ctx.s.memcgs.get(3)!.oomVictim; i++, faults++) faultAnon(ctx, 3);
      const m = ctx.s.memcgs.get(3)!;
      expect(m.oomVictim).toBe(true);
      expect(faults).toBe(30 * MiB + 1); // the charge that OOM-killed its task succeeds after the reap
      expect(m.events).toEqual([0, 0, 18, 1, 1, 0]); // 1 + 1 (drain) + MAX_RECLAIM_RETRIES failing passes
      expect(m.eventsLocal).toEqual(m.events);
      expect(ctx.s.memcgs.get(2)!.events).toEqual([0, 0, 18, 1, 1, 0]); // hierarchical
      expect(ctx.s.memcgs.get(2)!.eventsLocal).toEqual([0, 0, 0, 0, 0, 0]);
      expect(m.stat[0]).toBe(1); // the oom_reaper freed the rest of its anon
    });
  });
}
