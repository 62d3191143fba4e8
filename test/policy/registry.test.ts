import { describe, expect, it } from 'vitest';
import { LabError } from '../../src/errors.js';
import { ROOT_MEMCG } from '../../src/kernel/constants.js';
import { E, FOLIO_FILE, MACHINE_MGLRU, MACHINE_OBJCG } from '../../src/kernel/events.js';
import { pageCacheKey } from '../../src/kernel/state.js';
import { rmdir } from '../../src/policy/cgroup.js';
import { getPolicy, offlineMode, POLICY_ALIASES, resolvePolicyAlias } from '../../src/policy/policies.js';
import { describeModes, MGLRU_REPARENT_MODES, POLICY_NAMES, REPARENT_MODES } from '../../src/policy/reparent/registry.js';
import { TestCtx } from '../helpers.js';

describe('reparent registry', () => {
  it('names policies, MGLRU modes and compare aliases from the mode files, in registry order', () => {
    expect(POLICY_NAMES).toEqual(['legacy', 'reparent']);
    expect(MGLRU_REPARENT_MODES).toEqual(['same-gen', 'tail', 'age-order']);
    expect(POLICY_ALIASES).toEqual(['legacy', 'reparent', 'same-gen', 'tail', 'age-order']);
    expect(new Set(REPARENT_MODES.map((m) => m.name)).size).toBe(REPARENT_MODES.length);
    for (const m of REPARENT_MODES) expect(m.description.length).toBeGreaterThan(10);
    expect(describeModes()).toHaveLength(REPARENT_MODES.length);
  });

  it('resolves each policy to one offline procedure per LRU kind', () => {
    expect(offlineMode(getPolicy('legacy'), false).name).toBe('legacy');
    expect(offlineMode(getPolicy('legacy', 'tail'), true).name).toBe('legacy');
    expect(offlineMode(getPolicy('reparent'), false).name).toBe('classic');
    for (const mode of MGLRU_REPARENT_MODES) expect(offlineMode(getPolicy('reparent', mode), true).name).toBe(mode);
    expect(getPolicy('legacy').objcgCharging).toBe(false);
    expect(getPolicy('reparent').objcgCharging).toBe(true);
    expect(resolvePolicyAlias('age-order')).toEqual({ policy: 'reparent', mglru: 'age-order' });
  });

  it('an unknown name is refused with the valid ones listed', () => {
    expect(() => getPolicy('smart')).toThrow(LabError);
    expect(() => getPolicy('smart')).toThrow(/legacy, reparent/);
    expect(() => resolvePolicyAlias('smart')).toThrow(/legacy, reparent, same-gen, tail, age-order/);
  });

  // Every mode's offline procedure on its LRU: invariants hold after every event (TestCtx), and a
  // mode that charges through objcgs frees the memcg at once while legacy leaves it dying.
  for (const mode of REPARENT_MODES) {
    for (const lru of mode.lru === 'any' ? (['classic', 'mglru'] as const) : [mode.lru]) {
      it(`${mode.name} on ${lru}: offline keeps every invariant; the memcg is ${mode.objcgCharging ? 'freed' : 'left dying'}`, () => {
        const policy = getPolicy(mode.policy, mode.lru === 'mglru' ? (mode.name as (typeof MGLRU_REPARENT_MODES)[number]) : undefined);
        const ctx = new TestCtx(policy);
        ctx.emit(E.machine(10_000, (policy.objcgCharging ? MACHINE_OBJCG : 0) | (lru === 'mglru' ? MACHINE_MGLRU : 0)));
        ctx.emit(E.memcgCreate(2, ROOT_MEMCG, 'system.slice'));
        ctx.emit(E.memcgCreate(3, 2, 'job@1.service'));
        for (let i = 0; i < 8; i++) ctx.emit(E.charge(i + 1, i < 2 ? 2 : 3, FOLIO_FILE, pageCacheKey(1, i)));
        rmdir(ctx, 3);
        expect(ctx.s.memcgs.has(3)).toBe(!mode.objcgCharging);
        expect(ctx.s.memcgs.get(2)!.memory).toBe(8);
      });
    }
  }
});
