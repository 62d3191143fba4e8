import { describe, expect, it } from 'vitest';
import { EVENT_NAMES } from '../../src/kernel/events.js';
import { MEMCG_DYING } from '../../src/kernel/state.js';
import { dyingPins, pinSummary } from '../../src/lab/dying_pins.js';
import { getPolicy } from '../../src/policy/policies.js';
import { RestartCyclesSchema, RestartCyclesWorkload } from '../../src/workload/restart_cycles.js';
import { TestCtx } from '../helpers.js';

// workload.tmpfsPages / tmpfsKeptCycles: each instance leaves a tmpfs file behind (issue 12: the
// pins that remain under 7.1). Small jobs with a memory.max that makes their own reclaim swap.

const BASE = {
  kind: 'restart-cycles',
  cycles: 12,
  sharedFilePages: 32,
  privateFilePages: 2,
  anonPages: 16,
  tmpfsPages: 16,
  accessesPerCycle: 200,
} as const;

/** Run `cycles` of the workload under `policy` with every invariant checked after every event. */
function run(policy: 'legacy' | 'reparent', opts: Record<string, unknown>, cycles = 12) {
  const ctx = new TestCtx(getPolicy(policy));
  const w = new RestartCyclesWorkload(RestartCyclesSchema.parse({ ...BASE, cycles, ...opts }));
  w.setup(ctx, { memoryPages: 4096, mglru: false, objcgCharging: ctx.policy.objcgCharging, vm: { swapPages: 4096 } });
  while (w.stepsDone() < w.totalSteps) w.step(ctx, ctx.rng);
  return { ctx, w };
}

const count = (ctx: TestCtx, name: string) => ctx.log.filter((e) => EVENT_NAMES[e.type] === name).length;

describe('tmpfs files left behind', () => {
  it('without pressure, 7.1 reparents the resident pages and frees every job memcg; legacy keeps each one dying', () => {
    const r = run('reparent', {});
    expect(r.ctx.s.memcgs.get(1)!.nrDyingDescendants).toBe(0);
    const l = run('legacy', {});
    expect(l.ctx.s.memcgs.get(1)!.nrDyingDescendants).toBe(12);
    expect(pinSummary(dyingPins(l.ctx.s))['charged folios']).toBe(12);
  });

  it('pages swapped out before the rmdir keep the memcg dying under 7.1 too, until the cleanup removes the file', () => {
    // memory.max of 24 pages < 16 anon + 16 tmpfs: the job's own reclaim swaps its tmpfs pages
    const limited = { jobLimits: { max: 24 * 4096 } };
    const forever = run('reparent', limited);
    expect(count(forever.ctx, 'swap_out')).toBeGreaterThan(0);
    const pins = dyingPins(forever.ctx.s);
    expect(pins.length).toBeGreaterThan(0);
    expect(pinSummary(pins)['swap entries']).toBe(pins.length);
    // removed 3 cycles after the exit: at most the last 3 instances' files remain
    const kept = run('reparent', { ...limited, tmpfsKeptCycles: 3 });
    const dying = [...kept.ctx.s.memcgs.values()].filter((m) => m.state === MEMCG_DYING);
    expect(dying.length).toBeGreaterThan(0);
    expect(dying.length).toBeLessThanOrEqual(3);
    for (const m of dying) expect(Number(/@(\d+)/.exec(m.path)![1])).toBeGreaterThan(12 - 3);
    expect(count(kept.ctx, 'swap_free')).toBeGreaterThan(0);
  });

  it('the cursor carries the files not yet removed: stopping and restoring gives the same log', () => {
    const opts = { jobLimits: { max: 24 * 4096 }, tmpfsKeptCycles: 4 };
    const whole = run('reparent', opts);
    const ctx = new TestCtx(getPolicy('reparent'));
    const cfg = RestartCyclesSchema.parse({ ...BASE, ...opts });
    const first = new RestartCyclesWorkload(cfg);
    first.setup(ctx, { memoryPages: 4096, mglru: false, objcgCharging: true, vm: { swapPages: 4096 } });
    for (let i = 0; i < 6; i++) first.step(ctx, ctx.rng);
    const cursor = JSON.parse(JSON.stringify(first.cursor()));
    expect(cursor.leftovers.length).toBeGreaterThan(0);
    const second = new RestartCyclesWorkload(cfg);
    second.restore(cursor);
    while (second.stepsDone() < second.totalSteps) second.step(ctx, ctx.rng);
    expect(ctx.s.seq).toBe(whole.ctx.s.seq);
    expect(ctx.log.map((e) => [e.type, e.folio, e.memcg, e.a, e.b])).toEqual(
      whole.ctx.log.map((e) => [e.type, e.folio, e.memcg, e.a, e.b]),
    );
    expect(() => second.restore({ nextCycle: 2, leftovers: [[]] })).toThrow(/bad cursor/);
  });
});
