/**
 * The JSON Schema of experiment files (experiments/experiment.schema.json) against the zod
 * validator it is generated from: the shipped file is the generated one, every shipped experiment
 * passes both, bad experiments fail both, and size strings mean the same to both. Then the
 * validator's error report: every error at once, each naming field, value and what is allowed.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LabError, LabErrors } from '../../src/errors.js';
import { experimentJsonSchema, parseExperiment } from '../../src/lab/experiment.js';
import { MAX_LISTED_ERRORS } from '../../src/lab/experiment_errors.js';
import { jsonSchemaText, SCHEMA_FILE, shippedSchemaPath } from '../../src/lab/experiment_schema.js';
import { resolveTracePath } from '../../src/lab/trace_file.js';
import { parseSize, SIZE_PATTERN } from '../../src/workload/options.js';
import { ROOT } from '../helpers.js';

// ajv is CommonJS: its class is the default export's `default`
const Ajv = AjvModule.default;
// ajv's default strict mode: unknown keywords and bad formats refuse the schema
const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile(JSON.parse(readFileSync(shippedSchemaPath(), 'utf8')));

const EXPERIMENTS = join(ROOT, 'experiments');
const shipped = readdirSync(EXPERIMENTS)
  .filter((f) => f.endsWith('.json') && f !== SCHEMA_FILE)
  .sort();
const read = (f: string) => JSON.parse(readFileSync(join(EXPERIMENTS, f), 'utf8'));

/** A small valid experiment to break one field at a time. */
const BASE = { workload: { kind: 'restart-cycles', cycles: 3 } };
const withPatch = (patch: (e: any) => void) => {
  const e: any = structuredClone(BASE);
  patch(e);
  return e;
};

/** What zod says about `raw`: undefined when it is valid, else the thrown LabError. */
function zodError(raw: unknown): LabError | undefined {
  try {
    parseExperiment(raw, 'x.json');
    return undefined;
  } catch (e) {
    if (e instanceof LabError) return e;
    throw e;
  }
}

describe('experiments/experiment.schema.json', () => {
  it('is the schema generated from the validator (regenerate with: npm run schema)', () => {
    const onDisk = readFileSync(shippedSchemaPath(), 'utf8');
    expect(onDisk === jsonSchemaText(experimentJsonSchema()), `${SCHEMA_FILE} is stale: run \`npm run schema\` and commit it`).toBe(true);
  });

  it('is draft-07 with an $id, and documents every field', () => {
    const s = experimentJsonSchema();
    expect(s.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(typeof s.$id).toBe('string');
    // every property at every level has a description (what an editor shows on hover)
    const undocumented: string[] = [];
    (function walk(node: any, path: string) {
      if (!node || typeof node !== 'object') return;
      for (const [k, v] of Object.entries<any>(node.properties ?? {})) {
        if (!v.description) undocumented.push(`${path}${k}`);
        walk(v, `${path}${k}.`);
      }
      for (const key of ['oneOf', 'anyOf']) for (const b of node[key] ?? []) walk(b, path);
      if (node.items) walk(node.items, `${path}[].`);
      if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}*.`);
    })(s, '');
    expect(undocumented).toEqual([]);
  });

  it('sizes are an integer of bytes or a size string, in the schema', () => {
    const memory = (experimentJsonSchema().properties as any).machine.properties.memory;
    expect(memory.anyOf).toEqual([
      expect.objectContaining({ type: 'integer', minimum: 256 * 1024 }),
      expect.objectContaining({ type: 'string', pattern: SIZE_PATTERN }),
    ]);
    expect(memory.default).toBe(512 * 1024 * 1024);
  });

  it.each(shipped)('%s: passes the JSON Schema and the validator, and points at the schema', (f) => {
    const raw = read(f);
    expect(raw.$schema).toBe(`./${SCHEMA_FILE}`);
    expect(validate(raw), ajv.errorsText(validate.errors)).toBe(true);
    // a trace's file is relative to the experiment file, as run resolves it
    expect(zodError(resolveTracePath(raw, join(EXPERIMENTS, f)))).toBeUndefined();
  });

  it('$schema is accepted and dropped: the parsed experiment is the same without it', () => {
    const raw = read('default.json');
    const { $schema: _, ...bare } = raw;
    expect(parseExperiment(raw)).toEqual(parseExperiment(bare));
    expect(Object.keys(parseExperiment(raw))).not.toContain('$schema');
  });

  const GOOD: [string, unknown][] = [
    ['sizes as strings with spaces and any case', withPatch((e) => (e.machine = { memory: ' 64 mib ', swap: '1.5GiB' }))],
    ['sizes as bytes', withPatch((e) => (e.machine = { memory: 4096 * 1024 }))],
    ['limits on the parent', withPatch((e) => (e.limits = { '/system.slice': { max: '4M', low: 0 } }))],
    ['uniform access', withPatch((e) => (e.workload.access = { dist: 'uniform' }))],
    ['proactive with goal', withPatch((e) => (e.workload.proactive = [{ cgroup: '/system.slice', everyCycles: 2, goal: '1MiB' }]))],
  ];
  it.each(GOOD)('accepted by both: %s', (_name, raw) => {
    expect(validate(raw), ajv.errorsText(validate.errors)).toBe(true);
    expect(zodError(raw)).toBeUndefined();
  });

  const BAD: [string, unknown, RegExp][] = [
    ['a typo in an enum', withPatch((e) => (e.machine = { lru: 'mglur' })), /machine\.lru: got "mglur": one of classic, mglru/],
    [
      'an unknown field',
      withPatch((e) => (e.machine = { lur: 'mglru' })),
      /machine\.lur: got "mglru": no such field \(did you mean "lru"\?\)$/,
    ],
    [
      'an unknown field unlike any other',
      withPatch((e) => (e.workload.zzz = 1)),
      /workload\.zzz: got 1: no such field; the fields here: kind, cycles, parent, .*, proactive, containers, units, every, stagger, overlap$/,
    ],
    ['a size string that is no size', withPatch((e) => (e.machine = { memory: '1e3MiB' })), /machine\.memory: got "1e3MiB"/],
    ['memory below 256 KiB', withPatch((e) => (e.machine = { memory: 4096 })), /machine\.memory: got 4096: a size of at least 256KiB/],
    ['fractional bytes', withPatch((e) => (e.machine = { swap: 1.5 })), /machine\.swap: got 1\.5: whole bytes/],
    ['zero cycles', withPatch((e) => (e.workload.cycles = 0)), /workload\.cycles: got 0: an integer ≥ 1/],
    ['a fractional seed', withPatch((e) => (e.seed = 1.5)), /seed: got 1\.5: an integer from 0 to 4294967295/],
    ['an unknown workload kind', withPatch((e) => (e.workload.kind = 'restart')), /workload\.kind: got "restart": one of restart-cycles/],
    ['no workload', {}, /workload: missing: an object with kind: one of restart-cycles/],
    [
      'a relative cgroup path',
      withPatch((e) => (e.workload.parent = 'system.slice')),
      /workload\.parent: got "system\.slice": must be an absolute/,
    ],
    [
      'proactive with both bytes and goal',
      withPatch((e) => (e.workload.proactive = [{ cgroup: '/system.slice', atCycle: 1, bytes: 4096, goal: 0 }])),
      /workload\.proactive\[0\]: got .*: give exactly one of bytes/,
    ],
    ['$schema not a string', withPatch((e) => (e.$schema = 5)), /\$schema: got 5: a string/],
    ['not an object', [], /\(top level\): got \[\]: an experiment: a JSON object/],
  ];
  it.each(BAD)('refused by both: %s', (_name, raw, message) => {
    expect(validate(raw)).toBe(false);
    const e = zodError(raw);
    expect(e).toBeInstanceOf(LabError);
    expect(e!.message).toMatch(message);
  });

  it('a size string is one to the schema exactly when it is one to the validator', () => {
    const pattern = new RegExp(SIZE_PATTERN);
    const piece = fc.constantFrom(
      '0',
      '1',
      '64',
      '1.5',
      '.5',
      '5.',
      ' ',
      'K',
      'k',
      'M',
      'i',
      'I',
      'B',
      'b',
      'G',
      'P',
      'T',
      'X',
      'e',
      '-',
      'KiB',
      'mb',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (parts) => {
        const s = parts.join('');
        const schemaSays = s.length <= 40 && pattern.test(s);
        expect(schemaSays, JSON.stringify(s)).toBe(parseSize(s) !== null);
      }),
      { seed: 11, numRuns: 2000 },
    );
  });
});

describe('validation reports every error at once', () => {
  it('a header saying how many, then one line per error naming field, value and what is allowed', () => {
    const raw = withPatch((e) => {
      e.machine = { lru: 'mglur', cpus: 0, memory: 'lots' };
      e.policy = 'reparnet';
      e.workload.cycles = -3;
      e.limits = { '/other.slice': { max: '1MiB' }, '/a/../b': {} };
    });
    const e = zodError(raw);
    expect(e).toBeInstanceOf(LabErrors);
    const { header, lines } = e as LabErrors;
    expect(header).toBe('x.json: 6 errors in the experiment:');
    expect(lines).toEqual([
      'x.json: machine.lru: got "mglur": one of classic, mglru (did you mean "mglru"?)',
      'x.json: machine.cpus: got 0: an integer from 1 to 4096',
      'x.json: machine.memory: got "lots": whole bytes (at least 262144) or a size like "512MiB"',
      'x.json: policy: got "reparnet": one of legacy, reparent (did you mean "reparent"?)',
      'x.json: workload.cycles: got -3: an integer ≥ 1',
      'x.json: limits: got "/a/../b": must not contain "." or ".." components (a cgroup path names one cgroup, like "/system.slice")',
    ]);
  });

  it('the checks across fields are collected too: every limit on a cgroup setup does not create', () => {
    const e = zodError(withPatch((e) => (e.limits = { '/system.slice': {}, '/a.slice': {}, '/b.slice': { max: 1 } })));
    expect((e as LabErrors).lines).toEqual([
      expect.stringMatching(/^x\.json: limits: got "\/a\.slice": only the workload parent \(\/system\.slice\) .*workload\.jobLimits$/),
      expect.stringMatching(/^x\.json: limits: got "\/b\.slice": /),
    ]);
  });

  it('...and alongside the schema errors of other fields', () => {
    const e = zodError(
      withPatch((e) => {
        e.seed = -1;
        e.limits = { '/a.slice': {} };
      }),
    );
    expect((e as LabErrors).lines).toEqual([
      expect.stringMatching(/^x\.json: seed: got -1: /),
      expect.stringMatching(/^x\.json: limits: got "\/a\.slice": /),
    ]);
  });

  it('one error is one line (a plain LabError)', () => {
    const e = zodError(withPatch((e) => (e.workload.cycles = 0)));
    expect(e).not.toBeInstanceOf(LabErrors);
    expect(e!.message).toBe('x.json: workload.cycles: got 0: an integer ≥ 1');
  });

  it(`lists at most ${MAX_LISTED_ERRORS} errors and counts the rest`, () => {
    const raw: any = withPatch(() => {});
    for (let i = 0; i < 30; i++) raw[`bogus${i}`] = i;
    const e = zodError(raw) as LabErrors;
    expect(e.header).toBe('x.json: 30 errors in the experiment:');
    expect(e.lines).toHaveLength(MAX_LISTED_ERRORS + 1);
    expect(e.lines.at(-1)).toBe(`x.json: and ${30 - MAX_LISTED_ERRORS} more errors (fix these first)`);
  });

  it('names array items and odd keys unambiguously', () => {
    const e = zodError(
      withPatch((e) => {
        e.workload.proactive = [
          { cgroup: '/system.slice', atCycle: 1, bytes: 4096 },
          { cgroup: '/system.slice', atCycle: 0, bytes: 1 },
        ];
        e.limits = { '/system.slice': { max: 'x' } };
      }),
    ) as LabErrors;
    expect(e.lines).toEqual([
      'x.json: workload.proactive[1].atCycle: got 0: an integer ≥ 1',
      'x.json: limits["/system.slice"].max: got "x": whole bytes or a size like "512MiB"',
    ]);
  });
});
