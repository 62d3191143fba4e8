import { z } from 'zod';
import type { Rng } from '../kernel/rng.js';

export const AccessSchema = z.discriminatedUnion('dist', [
  z.strictObject({ dist: z.literal('uniform').describe('every page equally likely') }),
  z.strictObject({
    dist: z.literal('zipf').describe('page i drawn with weight 1 / (i + 1)^alpha: page 0 the hottest'),
    alpha: z.number().positive().max(10).default(0.9).describe('the zipf exponent: larger is more skewed'),
  }),
]);

export type AccessDist = z.output<typeof AccessSchema>;

/** Draws page indexes in [0, n): uniform, or zipf(alpha) with page 0 the hottest. */
export interface Sampler {
  sample(rng: Rng): number;
}

export function makeSampler(d: AccessDist, n: number): Sampler {
  if (n <= 0) return { sample: () => 0 };
  if (d.dist === 'uniform') return { sample: (rng) => rng.int(n) };
  // Inverse CDF over a precomputed table: O(log n) per draw, exact for any alpha.
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += 1 / (i + 1) ** d.alpha;
    cdf[i] = sum;
  }
  for (let i = 0; i < n; i++) cdf[i] /= sum;
  return {
    sample(rng) {
      const u = rng.float();
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
  };
}
