import { describe, expect, it } from 'vitest';
import { mismatch, type StatRun } from '../../src/lab/compare_stats.js';
import { labelMatches, policyLabel, policyOfExperiment } from '../../src/lab/policy_label.js';

// machine.kernel in the policy label: runs on v1 say so (reparent/same-gen@v1), runs on the
// default kernel (and runs older than the field, which ran it) do not.
describe('the kernel in the policy label', () => {
  const mglru = (kernel?: string, policy = 'reparent') =>
    policyOfExperiment({ policy, machine: { lru: 'mglru', ...(kernel ? { kernel } : {}) }, policyOptions: { mglru: 'same-gen' } });

  it('v1 reparent runs carry @v1; 7.1, runs without the field, and legacy do not', () => {
    expect(policyLabel(mglru('v1'))).toBe('reparent/same-gen@v1');
    expect(policyLabel(mglru('7.1'))).toBe('reparent/same-gen');
    expect(policyLabel(mglru())).toBe('reparent/same-gen');
    expect(policyLabel(mglru('v1', 'legacy'))).toBe('legacy');
    expect(policyLabel(policyOfExperiment({ policy: 'reparent', machine: { kernel: 'v1' } }))).toBe('reparent@v1');
  });

  it('filters match a v1 label by its policy, mode or whole label', () => {
    for (const q of ['reparent', 'same-gen', 'reparent/same-gen', 'reparent/same-gen@v1']) {
      expect(labelMatches('reparent/same-gen@v1', q)).toBe(true);
    }
    expect(labelMatches('reparent/same-gen@v1', 'tail')).toBe(false);
    expect(labelMatches('reparent/same-gen', 'reparent/same-gen@v1')).toBe(false);
  });

  it('compare takes runs that differ only in policy, kernel and seed; other machine fields still count', () => {
    const run = (id: number, machine: object) =>
      ({ id, experiment: { name: 'x', seed: id, policy: 'reparent', machine: { lru: 'mglru', ...machine } } }) as unknown as StatRun;
    expect(mismatch([run(1, { kernel: '7.1' }), run(2, { kernel: 'v1' }), run(3, {})])).toBeUndefined();
    expect(mismatch([run(1, { kernel: '7.1' }), run(2, { kernel: 'v1', cpus: 4 })])).toMatch(/machine\.cpus/);
  });
});
