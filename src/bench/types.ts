/** One measured figure, as printed by `memcglab bench --json`. */
export interface BenchResult {
  name: string;
  /** the figure; null when it could not be measured (see note) */
  value: number | null;
  unit: string;
  /** what the figure is measured against, in the same process and unit (null: none) */
  baseline: number | null;
  /** value / baseline, or the ratio the goal names (see the figure's note) */
  ratio: number | null;
  /** e.g. "ratio >= 0.8"; null for informational figures */
  goal: string | null;
  /** whether the goal is met; null when there is no goal or no value */
  met: boolean | null;
  /** how to read the figure: what was compared, where the time went, why it was skipped */
  note?: string;
}

export interface MachineInfo {
  node: string;
  cpu: string;
  cores: number;
  memory: number;
  platform: string;
  commit: string | null;
}

export interface BenchReport extends MachineInfo {
  quick: boolean;
  seconds: number;
  results: BenchResult[];
}

export interface BenchContext {
  quick: boolean;
  /** a private temp folder, removed after the suite */
  dir: string;
  /** the built CLI entry (dist/src/cli/main.js) */
  cli: string;
  /** the package root */
  root: string;
  /** progress lines (stderr) */
  log: (msg: string) => void;
}

/** Goal helpers: every figure says what it is compared to and whether it passes. */
export function atLeast(ratio: number | null, goal: number): { goal: string; met: boolean | null } {
  return { goal: `ratio >= ${goal}`, met: ratio === null ? null : ratio >= goal };
}

export function atMost(x: number | null, goal: number, what = 'ratio'): { goal: string; met: boolean | null } {
  return { goal: `${what} <= ${goal}`, met: x === null ? null : x <= goal };
}

export function round(v: number, digits = 3): number {
  const p = 10 ** digits;
  return Math.round(v * p) / p;
}
