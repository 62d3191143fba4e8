import { describe, expect, it } from 'vitest';
import { summarize, tCdf, tQuantile, welchP } from '../../src/lab/stats.js';

// Reference values from scipy.stats 1.17 (t.ppf, t.cdf, ttest_ind(equal_var=False)).
describe('statistics for compare', () => {
  it('Student t quantiles and CDF, integer and fractional df', () => {
    expect(tQuantile(0.975, 4)).toBeCloseTo(2.7764451051977934, 8);
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.706204736174694, 7);
    expect(tQuantile(0.975, 29)).toBeCloseTo(2.045229642132703, 8);
    expect(tQuantile(0.975, 2.5)).toBeCloseTo(3.5746548420036817, 8);
    expect(tCdf(-2, 5)).toBeCloseTo(0.050969739414929174, 12);
  });
  it("Welch's t-test p and the CI half-width", () => {
    expect(welchP([1, 2, 3, 4], [2, 4, 6, 8.5])).toBeCloseTo(0.1579142676824098, 10);
    expect(welchP([0.1, 0.12, 0.09], [0.3, 0.2, 0.25, 0.4, 0.33])).toBeCloseTo(0.003828043068515871, 10);
    expect(welchP([1, 1], [1, 1])).toBe(1);
    expect(welchP([1, 1], [2, 2])).toBe(0);
    expect(welchP([1], [2, 3])).toBeNull();
    const s = summarize([1, 2, 3, 4, 5]);
    expect(s.mean).toBe(3);
    expect(s.ci95!).toBeCloseTo((2.7764451051977934 * Math.sqrt(2.5)) / Math.sqrt(5), 8);
    expect(summarize([7]).ci95).toBeNull();
  });
});
