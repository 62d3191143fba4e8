import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';

/** The CI smoke of `memcglab bench`: the JSON shape only — never an assertion on speed. */
describe('memcglab bench --quick --json', () => {
  it('prints machine info and one well-formed result per figure', () => {
    const r = cli(['bench', '--quick', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.node).toBe(process.version);
    expect(typeof report.cpu).toBe('string');
    expect(report.cpu.length).toBeGreaterThan(0);
    expect(report.commit === null || /^[0-9a-f]{40}$/.test(report.commit)).toBe(true);
    expect(report.quick).toBe(true);
    expect(Array.isArray(report.results)).toBe(true);

    const names = report.results.map((x: { name: string }) => x.name);
    for (const figure of [
      'append',
      'replay',
      'run.classic',
      'run.mglru',
      'point-in-time',
      'memory',
      'size',
      'size.query',
      'scale',
      'export',
      'export.rss',
    ]) {
      expect(names).toContain(figure);
    }
    expect(new Set(names).size).toBe(names.length);

    const numOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
    // a figure that failed outright is a failure of this test, with its reason
    for (const x of report.results) expect(String(x.note ?? '')).not.toMatch(/^failed/);
    for (const x of report.results) {
      expect(Object.keys(x)).toEqual(expect.arrayContaining(['name', 'value', 'unit', 'baseline', 'ratio', 'goal', 'met']));
      expect(typeof x.unit).toBe('string');
      expect(numOrNull(x.value)).toBe(true);
      expect(numOrNull(x.baseline)).toBe(true);
      expect(numOrNull(x.ratio)).toBe(true);
      expect(x.goal === null || typeof x.goal === 'string').toBe(true);
      expect(x.met === null || typeof x.met === 'boolean').toBe(true);
      // a goal is judged whenever there is a value to judge
      if (x.goal !== null && x.value !== null) expect(typeof x.met).toBe('boolean');
      if (x.value === null) expect(x.note).toMatch(/skipped|failed/);
    }
    // the figures with a goal in the issue carry it
    for (const figure of ['append', 'replay', 'point-in-time', 'memory', 'size']) {
      expect(report.results.find((x: { name: string }) => x.name === figure).goal).not.toBeNull();
    }
  }, 120_000);

  it('prints a table without --json', () => {
    const r = cli(['bench', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--quick/);
  });
});

describe('memcglab bench --only / --check', () => {
  it('--only runs the named figures; --check exits 1 exactly when a goal is missed, naming it; a bad name is one line', () => {
    const r = cli(['bench', '--quick', '--only', 'point-in-time', '--check', '--json']);
    const results = JSON.parse(r.stdout).results as { name: string; met: boolean | null }[];
    expect(results.map((x) => x.name)).toEqual(['point-in-time', 'point-in-time.snapshot']);
    // no assertion on speed: only that the exit code and the message follow the figures' own verdicts
    const missed = results.filter((x) => x.met === false).map((x) => x.name);
    expect(r.code).toBe(missed.length ? 1 : 0);
    if (missed.length) expect(r.stderr).toContain(`not met: ${missed.join(', ')}`);
    const bad = cli(['bench', '--only', 'nope']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/--only nope: no figure 'nope'; choose from: run, append/)]);
  }, 60_000);
});
