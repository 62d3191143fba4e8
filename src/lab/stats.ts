/**
 * The statistics `compare` and `report` need over a handful of seeds: mean, a Student-t 95%
 * confidence interval and Welch's t-test. The t distribution comes from the regularized
 * incomplete beta function (continued fraction, Numerical Recipes §6.4); fractional degrees of
 * freedom (Welch) included. Checked against R's qt/pt in test/lab/stats.test.ts.
 */

export interface Summary {
  n: number;
  mean: number;
  /** sample standard deviation (n − 1); 0 for one value */
  sd: number;
  /** half-width of the 95% CI of the mean (Student t, n − 1 df); null below two values */
  ci95: number | null;
}

export function summarize(xs: readonly number[]): Summary {
  const n = xs.length;
  const mean = n ? xs.reduce((a, b) => a + b, 0) / n : NaN;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : 0;
  return { n, mean, sd, ci95: n > 1 ? tQuantile(0.975, n - 1) * (sd / Math.sqrt(n)) : null };
}

/**
 * Welch's two-sample t-test (unequal variances), two-sided p. Two constant samples: p = 1 when
 * the means are equal, else 0; null when either sample has fewer than two values.
 */
export function welchP(a: readonly number[], b: readonly number[]): number | null {
  const x = summarize(a);
  const y = summarize(b);
  if (x.n < 2 || y.n < 2) return null;
  const va = (x.sd * x.sd) / x.n;
  const vb = (y.sd * y.sd) / y.n;
  if (va + vb === 0) return x.mean === y.mean ? 1 : 0;
  const t = (x.mean - y.mean) / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / ((va * va) / (x.n - 1) + (vb * vb) / (y.n - 1));
  return 2 * (1 - tCdf(Math.abs(t), df));
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function tCdf(t: number, df: number): number {
  const ib = incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - ib / 2 : ib / 2;
}

/** The p-quantile of Student's t (bisection on tCdf; |error| < 1e-10). */
export function tQuantile(p: number, df: number): number {
  if (p === 0.5) return 0;
  let lo = -1e3;
  let hi = 1e3;
  for (let i = 0; i < 200 && hi - lo > 1e-10; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** I_x(a, b), the regularized incomplete beta function. */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(x, a, b)) / a : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** The continued fraction of I_x(a, b) (modified Lentz). */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 300; m++) {
    for (const num of [
      (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)),
      (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1)),
    ]) {
      d = 1 + num * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + num / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/** ln Γ(x), Lanczos (g = 7, 9 terms). */
function lgamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  x -= 1;
  let a = g[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += g[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** A number for a statistics table: integers above 1000, else four significant digits. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '-';
  if (Math.abs(v) >= 1000) return String(Math.round(v));
  if (v === 0) return '0';
  return String(Number(v.toPrecision(4)));
}
