import { describe, expect, it } from 'vitest';
import { ROOT_MEMCG } from '../../src/kernel/constants.js';
import { E, EVENT_NAMES, FOLIO_MAPPED, FOLIO_SHMEM, MACHINE_OBJCG, REFAULT_RECENT, SYSCTL_SWAP_PAGES } from '../../src/kernel/events.js';
import { Stat } from '../../src/kernel/stat.js';
import { MEMCG_DYING, pageCacheKey } from '../../src/kernel/state.js';
import { dyingPins, pinKind, pinSummary } from '../../src/lab/dying_pins.js';
import { mkdir, rmdir } from '../../src/policy/cgroup.js';
import { faultAnon, freeFolio, readPage, writeShmem } from '../../src/policy/pagecache.js';
import { getPolicy } from '../../src/policy/policies.js';
import { releaseUnpinned } from '../../src/policy/release.js';
import { memcgIdGetOnline } from '../../src/policy/vmscan/shrink_folio_list.js';
import { readMemoryStat } from '../../src/views/memory_stat.js';
import { TestCtx } from '../helpers.js';

// The pins that remain in 7.1 (issue 12): swap entries record the memcg ID
// (__mem_cgroup_try_charge_swap → mem_cgroup_private_id_get_online → swap_cgroup_record) and the
// ID holds the css; the offline path never moves them. tmpfs pages a job leaves behind are
// reparented while resident (7.1) but pin the memcg once swapped out before the rmdir.

/** A machine with swap, /system.slice (2) and job@1 (3); `policy` legacy or reparent (7.1). */
function machine(policy: string): TestCtx {
  const ctx = new TestCtx(getPolicy(policy));
  ctx.emit(E.machine(100_000, ctx.policy.objcgCharging ? MACHINE_OBJCG : 0));
  ctx.emit(E.sysctl(SYSCTL_SWAP_PAGES, 1024));
  mkdir(ctx, ROOT_MEMCG, 'system.slice');
  mkdir(ctx, 2, 'job@1.service');
  ctx.emit(E.jobStart(3, 1));
  return ctx;
}

/** shrink_folio_list()'s swap-out of one folio, the ID as the decider picks it, then the write completing. */
function swapOut(ctx: TestCtx, folio: number): number {
  const f = ctx.s.folios.get(folio)!;
  const id = memcgIdGetOnline(ctx.s, ctx.policy.objcgCharging ? ctx.s.objcgs.get(f.owner)!.memcg : f.owner);
  ctx.emit(E.swapOut(folio, id));
  return id;
}

/** The job exits (its tmpfs file stays) and its cgroup is removed. */
function exitAndRmdir(ctx: TestCtx): void {
  ctx.emit(E.jobExit(3, 1));
  rmdir(ctx, 3);
}

describe('shmem (tmpfs) folios: shmem_add_to_page_cache and the anon LRU', () => {
  it('a tmpfs write is charged as file and shmem (NR_FILE_PAGES, NR_SHMEM), not anon, and lies on the inactive anon list', () => {
    const ctx = machine('reparent');
    const f = writeShmem(ctx, 3);
    const folio = ctx.s.folios.get(f)!;
    expect(folio.shmem && !folio.file && !folio.mapped && !folio.active).toBe(true);
    const m = ctx.s.memcgs.get(3)!;
    expect([m.stat[Stat.file], m.stat[Stat.anon]]).toEqual([1, 0]);
    const stat = readMemoryStat(ctx.s, m);
    expect([stat.shmem, stat.file, stat.anon, stat.inactive_anon, stat.inactive_file]).toEqual([4096, 4096, 0, 4096, 0]);
  });

  it('evolve refuses a shmem folio that is mapped or on the file LRU', () => {
    const ctx = machine('reparent');
    expect(() => ctx.emit(E.charge(ctx.s.nextFolio, 3, FOLIO_SHMEM | FOLIO_MAPPED, 0))).toThrow(/shmem/);
  });
});

describe('mem_cgroup_id_get_online(): refcount_inc_not_zero on the ID, then the parent', () => {
  it("a dying memcg whose ID swap entries still hold collects new entries; once its ID is gone they go to the parent's", () => {
    const ctx = machine('legacy');
    const a = writeShmem(ctx, 3);
    const b = writeShmem(ctx, 3);
    const c = writeShmem(ctx, 3);
    expect(swapOut(ctx, a)).toBe(3); // online: its own ID
    exitAndRmdir(ctx); // legacy: b and c still pin it
    expect(ctx.s.memcgs.get(3)!.state).toBe(MEMCG_DYING);
    expect(swapOut(ctx, b)).toBe(3); // dying, but id.ref is 2 (a's entry): not zero, so 3 again
    freeFolio(ctx, a); // a's slot freed
    freeFolio(ctx, b); // b's slot freed: the ID's last ref goes
    expect(ctx.s.memcgs.get(3)!.idRef).toBe(0);
    expect(swapOut(ctx, c)).toBe(2); // refcount_inc_not_zero fails: the parent's ID
  });
});

describe('what keeps a memcg dying in 7.1 (reparenting) and in the legacy kernel', () => {
  it('7.1: resident tmpfs pages left behind go to the parent at offline; the memcg is freed at once', () => {
    const ctx = machine('reparent');
    const f = writeShmem(ctx, 3);
    exitAndRmdir(ctx);
    expect(ctx.s.memcgs.has(3)).toBe(false);
    expect(swapOut(ctx, f)).toBe(2); // swapped after the reparent: the parent's ID, nothing of job@1 pinned
  });

  it('7.1: a tmpfs page swapped out before the rmdir holds the dying memcg by its ID until the file is removed', () => {
    const ctx = machine('reparent');
    const f = writeShmem(ctx, 3);
    const g = writeShmem(ctx, 3);
    expect(swapOut(ctx, f)).toBe(3);
    exitAndRmdir(ctx);
    const m = ctx.s.memcgs.get(3)!;
    expect(m.state).toBe(MEMCG_DYING);
    expect(ctx.s.folios.get(g)!.owner).not.toBe(m.nodeinfo[0].objcg); // g (and f while in the swap cache) reparented
    expect(dyingPins(ctx.s)).toEqual([{ memcg: 3, path: '/system.slice/job@1.service', folios: 0, swapEntries: 1, dyingChildren: 0 }]);
    expect(m.swap).toBe(1); // memory.swap.current still counts it
    freeFolio(ctx, f); // the cleanup removes the file: the slot goes, and with it the last ID ref
    expect(ctx.s.memcgs.has(3)).toBe(false);
    expect(ctx.log.filter((e) => EVENT_NAMES[e.type] === 'memcg_free').map((e) => e.memcg)).toEqual([3]);
  });

  it('legacy: resident pages pin the memcg; swapping them out after the rmdir moves the pin to the parent and frees it', () => {
    const ctx = machine('legacy');
    const f = writeShmem(ctx, 3);
    exitAndRmdir(ctx);
    expect(pinKind(dyingPins(ctx.s)[0])).toBe('charged folios');
    expect(swapOut(ctx, f)).toBe(2); // its ID went at offline: the entry is the parent's
    // the write completes and reclaim frees the folio (its css ref was the last pin)
    ctx.emit(E.writebackEnd(f));
    ctx.emit(E.evict(f, 2, 3, 0));
    releaseUnpinned(ctx, 3, 3);
    expect(ctx.s.memcgs.has(3)).toBe(false);
    expect(pinSummary(dyingPins(ctx.s))['charged folios']).toBe(0);
  });

  it('workingset_test_recent(): a shadow of a dying memcg resolves only while swap entries hold its ID (legacy, classic)', () => {
    const recentAfterDeath = (pinned: boolean): number => {
      const ctx = machine('legacy');
      const hot = pageCacheKey(1, 1);
      for (let i = 0; i < 3; i++) readPage(ctx, 3, hot); // active: the workingset the distance is held against
      const key = pageCacheKey(1, 0);
      readPage(ctx, 3, key);
      ctx.emit(E.evict(ctx.s.pageCache.get(key)!, 3, 3, 0)); // reclaimed while job@1 lives: the shadow names memcg 3
      const f = writeShmem(ctx, 3);
      if (pinned) swapOut(ctx, f);
      exitAndRmdir(ctx); // legacy: its folios keep it dying either way; the offline drops the ID's online ref
      expect(ctx.s.memcgs.get(3)!.idRef).toBe(pinned ? 1 : 0);
      mkdir(ctx, 2, 'job@2.service');
      ctx.emit(E.jobStart(4, 2));
      readPage(ctx, 4, key);
      return ctx.log.filter((e) => EVENT_NAMES[e.type] === 'refault').at(-1)!.a;
    };
    expect(recentAfterDeath(true) & REFAULT_RECENT).toBe(REFAULT_RECENT); // mem_cgroup_from_id() finds it: distance 1 fits 1 active page
    expect(recentAfterDeath(false) & REFAULT_RECENT).toBe(0); // the ID was erased at offline: not recent
  });
});

describe('workingset_test_recent(): anon counts in the workingset while there is free swap', () => {
  it('a file refault whose distance exceeds the active file list is recent when free swap lets anon compete (classic)', () => {
    const recent = (swapPages: number): boolean => {
      const ctx = new TestCtx(getPolicy('reparent'));
      ctx.emit(E.machine(100_000, MACHINE_OBJCG));
      if (swapPages) ctx.emit(E.sysctl(SYSCTL_SWAP_PAGES, swapPages));
      mkdir(ctx, ROOT_MEMCG, 'system.slice');
      mkdir(ctx, 2, 'job@1.service');
      ctx.emit(E.jobStart(3, 1));
      faultAnon(ctx, 3);
      faultAnon(ctx, 3); // two anon pages, no active file at all
      const key = pageCacheKey(1, 0);
      readPage(ctx, 3, key);
      ctx.emit(E.evict(ctx.s.pageCache.get(key)!, 3, 3, 0)); // distance 1 when read back
      readPage(ctx, 3, key);
      return (ctx.log.filter((e) => EVENT_NAMES[e.type] === 'refault').at(-1)!.a & REFAULT_RECENT) !== 0;
    };
    expect(recent(1024)).toBe(true); // 1 <= 0 active file + 2 anon
    expect(recent(0)).toBe(false); // no swap: anon cannot be reclaimed, only active file counts
  });
});
