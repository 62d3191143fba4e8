/**
 * Fuzzing the CLI (fast-check, fixed seeds): random mutations of a tiny experiment file, and
 * random argument lists. Whatever the input, the CLI
 *   - finishes (no hang; 6 s per process),
 *   - exits 0 or 1 (no crash code: 2 is today's "internal error"),
 *   - never prints a stack frame,
 *   - on failure prints exactly one line starting `memcglab:` (an experiment with several errors:
 *     a header saying how many, then one `memcglab:` line each),
 *   - and a `run`/`resume` that exits 0 leaves a run that verifies.
 *
 * Cases are drawn with `fc.sample` (fixed seed) and run two at a time; every failing case is
 * listed (not only the first, as `fc.assert` would with shrinking, which would spawn hundreds of
 * processes). `bench` is left out of the command pool (it runs for seconds by design).
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { TINY_EXP } from './bad_inputs.js';
import { brief, type CliResult, copyDb, errorShapeProblem, makeRun, pool, runCli, STACK_FRAME, TINY, tempDir, withDb } from './util.js';

const dir = tempDir('memcglab-fuzz-');
const base = join(dir, 'base.db');
const TIMEOUT = 6_000;
const INF = '\u0000INF\u0000';

beforeAll(async () => {
  await makeRun(base, TINY);
  await makeRun(base, [...TINY, '--policy', 'legacy']);
}, 60_000);

/** What must hold for one CLI result; returns the problem or undefined. */
function problem(r: CliResult): string | undefined {
  if (r.timedOut) return 'hang';
  if (STACK_FRAME.test(r.stderr)) return 'stack trace';
  if (r.code !== 0 && r.code !== 1) return `exit ${r.code ?? r.signal}`;
  if (r.code === 1) {
    const shape = errorShapeProblem(r.stderr);
    if (shape) return `error is not one \`memcglab:\` line (or a header and one line per experiment error): ${shape}`;
  }
  return undefined;
}

async function verifyLatest(db: string): Promise<string | undefined> {
  const id = withDb(db, (d) => d.prepare("SELECT max(id) FROM runs WHERE status = 'done'").pluck().get()) as number | null;
  if (!id) return undefined;
  const v = await runCli(['verify', String(id), '--check-every', '1000', '--db', db], { timeoutMs: 20_000 });
  return v.code === 0 ? undefined : `run ${id} exited 0 but does not verify: ${brief(v)}`;
}

// ---------------------------------------------------------------- experiment files
const SPECIAL_NUMBERS = [-1, 0, 1, 2, 3, 1.5, -0.5, 4095, 4096, 1e12, 2 ** 53, 2 ** 64, INF];
const SIZE_STRINGS = ['1KiB', '4KiB', '0', '-5MiB', 'abc', '1e3MiB', '64MiB', `1${'0'.repeat(400)}`, '1.5GiB', ' 64MiB', '64mib', '∞'];
const PATH_STRINGS = ['/..', '/a/../b', '/system.slice', 'relative', '/', '//x', '/a/./b', '/x\u001b[2J', ''];
const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...SPECIAL_NUMBERS),
  fc.integer({ min: -3, max: 40 }),
  fc.constantFrom(...SIZE_STRINGS, ...PATH_STRINGS, 'legacy', 'reparent', 'mglru', 'classic', 'zipf', 'uniform', 'restart-cycles'),
  fc.string({ maxLength: 6 }),
  fc.constantFrom(null, true, false, [], {}, [1], { a: 1 }),
);
const PATHS: string[][] = [];
(function walk(o: unknown, p: string[]) {
  PATHS.push(p);
  if (o && typeof o === 'object') for (const [k, v] of Object.entries(o)) walk(v, [...p, k]);
})(TINY_EXP, []);
PATHS.push(
  ['machine', 'memcgSize'],
  ['workload', 'jobLimits'],
  ['workload', 'jobLimits', 'max'],
  ['limits'],
  ['sampleEvery'],
  ['snapshotEvery'],
  ['policyOptions', 'mglru'],
);

type Mut =
  | { op: 'set'; path: string[]; value: unknown }
  | { op: 'delete'; path: string[] }
  | { op: 'addKey'; path: string[]; key: string; value: unknown };
const mutation: fc.Arbitrary<Mut> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('set' as const), path: fc.constantFrom(...PATHS), value }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), path: fc.constantFrom(...PATHS) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('addKey' as const),
      path: fc.constantFrom(...PATHS),
      key: fc.constantFrom('__proto__', 'constructor', 'bogus', 'prototype', 'cycles'),
      value,
    }),
  },
);
const textOp = fc.constantFrom('none', 'none', 'none', 'none', 'none', 'none', 'bom', 'truncate', 'truncate', 'deep', 'crlf');
const expCase = fc.record({ muts: fc.array(mutation, { minLength: 1, maxLength: 3 }), text: textOp, cut: fc.nat() });

function applyMut(root: any, m: Mut): any {
  if (m.path.length === 0) return m.op === 'set' ? m.value : m.op === 'delete' ? {} : root;
  let o = root;
  for (const k of m.path.slice(0, -1)) {
    if (!o || typeof o !== 'object') return root;
    o = o[k];
  }
  if (!o || typeof o !== 'object') return root;
  const last = m.path[m.path.length - 1];
  if (m.op === 'set') o[last] = m.value;
  else if (m.op === 'delete') delete o[last];
  else if (o[last] && typeof o[last] === 'object')
    Object.defineProperty(o[last], m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
  return root;
}

function render(c: { muts: Mut[]; text: string; cut: number }): string {
  let e: any = structuredClone(TINY_EXP);
  for (const m of c.muts) e = applyMut(e, m);
  let s = JSON.stringify(e).replaceAll(JSON.stringify(INF), '1e400');
  if (c.text === 'bom') s = `\ufeff${s}`;
  if (c.text === 'truncate') s = s.slice(0, c.cut % (s.length + 1));
  if (c.text === 'deep') s = s.replace(/^\{/, `{"deep":${'['.repeat(50_000)}${']'.repeat(50_000)},`);
  if (c.text === 'crlf') s = JSON.stringify(e, null, 2).replaceAll('\n', '\r\n').replaceAll(JSON.stringify(INF), '1e400');
  return s;
}

// ---------------------------------------------------------------- argument lists
const COMMANDS = ['run', 'resume', 'compare', 'runs', 'show', 'replay', 'cat', 'verify', 'rebuild', 'query', 'help', 'bogus', ''];
const ARG_VALUES = [
  '1',
  '2',
  '0',
  '-1',
  '1.5',
  'abc',
  '',
  '1e400',
  '99999999999999999999',
  '/system.slice/memory.stat',
  '/memory.current',
  '/..',
  '/a/../b',
  '/sys/kernel/debug/lru_gen',
  '/cgroup.stat',
  'legacy',
  'reparent',
  'same-gen',
  'tail',
  'workload.cycles=2',
  'workload.cycles=-1',
  '__proto__.policy="legacy"',
  'machine.memory=0',
  'SELECT 1',
  'SELECT * FROM runs',
  'DELETE FROM runs',
  'PRAGMA wal_checkpoint',
  '1,2',
  '1,',
  ',',
  '\u001b[2J',
  'x'.repeat(300),
  '-- c\nSELECT 1',
  '--',
  '-',
];
const OPTIONS = [
  '--policy',
  '--seed',
  '--set',
  '--check',
  '--json',
  '--csv',
  '--seq',
  '--tick',
  '--cycle',
  '--check-every',
  '--runs',
  '--policies',
  '--help',
  '--version',
  '--zzz',
  '-x',
];
const argList = fc.record({
  cmd: fc.constantFrom(...COMMANDS),
  rest: fc.array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...OPTIONS) },
      { weight: 4, arbitrary: fc.constantFrom(...ARG_VALUES) },
      { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
    ),
    { maxLength: 5 },
  ),
});

describe('fuzz', () => {
  it('mutated experiment files: exit 0/1, no stack, one-line errors, no hang; successful runs verify', async () => {
    const cases = fc.sample(expCase, { seed: 20261126, numRuns: 25 });
    const failures: string[] = [];
    await pool(cases, 3, async (c, i) => {
      const file = join(dir, `exp-${i}.json`);
      const text = render(c);
      writeFileSync(file, text);
      const db = join(dir, `exp-${i}.db`);
      const r = await runCli(['run', file, '--json', '--db', db], { timeoutMs: TIMEOUT });
      const what = `#${i} ${JSON.stringify(c.muts)}${c.text !== 'none' ? ` +${c.text}` : ''}`;
      const p = problem(r);
      if (p) return void failures.push(`${what}\n    → ${p}: ${brief(r)}`);
      if (r.code === 0) {
        const v = await verifyLatest(db);
        if (v) failures.push(`${what}\n    → ${v}`);
      }
    });
    expect(failures, `${failures.length} of ${cases.length} cases:\n${failures.join('\n')}`).toEqual([]);
  });

  it('random argument lists: exit 0/1, no stack, one-line errors, no hang; successful runs verify', async () => {
    const cases = fc.sample(argList, { seed: 4242, numRuns: 25 });
    const failures: string[] = [];
    await pool(cases, 3, async (c, i) => {
      const db = join(dir, `args-${i}.db`);
      copyDb(base, db);
      // keep any run short: the tiny sizes come first, so a fuzzed --set still overrides them
      const sizes = c.cmd === 'run' || c.cmd === 'compare' ? TINY : [];
      const args = [c.cmd, ...sizes, ...c.rest, '--db', db].filter((a, k) => k > 0 || a !== '');
      const r = await runCli(args, { timeoutMs: TIMEOUT });
      const what = `#${i} memcglab ${args
        .slice(0, -2)
        .map((a) => JSON.stringify(a))
        .join(' ')}`;
      const p = problem(r);
      if (p) return void failures.push(`${what}\n    → ${p}: ${brief(r)}`);
      if (r.code === 0 && (c.cmd === 'run' || c.cmd === 'resume')) {
        const v = await verifyLatest(db);
        if (v) failures.push(`${what}\n    → ${v}`);
      }
    });
    expect(failures, `${failures.length} of ${cases.length} cases:\n${failures.join('\n')}`).toEqual([]);
  });
});
