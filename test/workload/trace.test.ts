import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LRU_INACTIVE_FILE, PAGE_SIZE } from '../../src/kernel/constants.js';
import { EVENT_NAMES } from '../../src/kernel/events.js';
import { lruvecOf } from '../../src/kernel/node.js';
import { folioMemcgId, MEMCG_DYING, MEMCG_FREED, MEMCG_ONLINE, pageCacheKey } from '../../src/kernel/state.js';
import { readTraceFile, splitCsv } from '../../src/lab/trace_file.js';
import { getPolicy } from '../../src/policy/policies.js';
import { TraceWorkload, traceKind } from '../../src/workload/trace.js';
import {
  checkTrace,
  MAX_INODE,
  quickRecord,
  TRACE_OPS,
  type Trace,
  TraceRecordSchema,
  TraceRecords,
} from '../../src/workload/trace_records.js';
import { ROOT, TestCtx } from '../helpers.js';

/** A trace from `tick cgroup op [inode index pages]` lines, checked. */
function traceOf(text: string): Trace {
  const t = new TraceRecords();
  for (const line of text.split('\n').filter((l) => l.trim())) {
    const [tick, cgroup, op, inode, index, pages] = line.trim().split(/\s+/);
    const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
    t.push(TraceRecordSchema.parse({ tick: Number(tick), cgroup, op, inode: num(inode), index: num(index), pages: num(pages) }));
  }
  const { trace, issues } = checkTrace(t);
  expect(issues).toEqual([]);
  return trace;
}

/** Replay a trace under a policy with every invariant checked after every event. */
function replay(text: string, policy = 'reparent', limits?: Record<string, { max?: number }>) {
  const ctx = new TestCtx(getPolicy(policy as 'legacy' | 'reparent'));
  const w = new TraceWorkload(traceOf(text));
  w.setup(ctx, { memoryPages: 4096, mglru: false, objcgCharging: ctx.policy.objcgCharging, limits });
  while (w.stepsDone() < w.totalSteps) w.step(ctx);
  const byPath = (p: string) => [...ctx.s.memcgs.values()].filter((m) => m.path === p);
  return { ctx, w, byPath };
}

const JOB = `
  1 /system.slice/job@1.service mkdir
  2 /system.slice/job@1.service read 1 0 8
  3 /system.slice/job@1.service fault 900 0 4
  9 /system.slice/job@1.service exit
 10 /system.slice/job@1.service rmdir
`;

describe('trace workload semantics', () => {
  it('setup makes the cgroups the trace uses before any mkdir of them, ancestors first, with their limits', () => {
    const { byPath, ctx } = replay(JOB, 'reparent', { '/system.slice': { max: 64 * PAGE_SIZE } });
    expect(byPath('/system.slice')).toHaveLength(1);
    expect(byPath('/system.slice')[0].state).toBe(MEMCG_ONLINE);
    expect(byPath('/system.slice')[0].max).toBe(64);
    // setup made /system.slice; the trace's mkdir made job@1, after it
    const made = ctx.log.filter((e) => EVENT_NAMES[e.type] === 'memcg_create').map((e) => e.tick);
    expect(made).toEqual([0, 1]);
  });

  it('rmdir under legacy leaves a dying memcg pinned by its page cache', () => {
    const { byPath } = replay(JOB, 'legacy');
    const [job] = byPath('/system.slice/job@1.service');
    expect(job.state).toBe(MEMCG_DYING);
    expect(lruvecOf(job, 0).size[LRU_INACTIVE_FILE] + lruvecOf(job, 0).size[LRU_INACTIVE_FILE + 1]).toBe(8);
    expect(byPath('/system.slice')[0].nrDyingDescendants).toBe(1);
  });

  it('rmdir under reparent frees the memcg; its page cache moves to the parent', () => {
    const { byPath, ctx } = replay(JOB, 'reparent');
    const [job] = byPath('/system.slice/job@1.service');
    expect(job?.state ?? MEMCG_FREED).toBe(MEMCG_FREED);
    const parent = byPath('/system.slice')[0];
    expect(parent.nrDyingDescendants).toBe(0);
    const lv = lruvecOf(parent, 0);
    expect(lv.size[LRU_INACTIVE_FILE] + lv.size[LRU_INACTIVE_FILE + 1]).toBe(8);
    expect(ctx.s.pageCache.size).toBe(8);
  });

  it('a second fault of the same name touches the page; exit frees the anon its cgroup faulted and ends its task', () => {
    const faults = `
      1 /a read 1 0 2
      2 /a fault 7 0 3
      3 /a fault 7 1 1
      4 /b fault 8 0 2
    `;
    const anonOf = (r: ReturnType<typeof replay>, p: string) =>
      [...r.ctx.s.folios.values()].filter((f) => !f.file && folioMemcgId(r.ctx.s, f) === r.byPath(p)[0].id).length;
    const before = replay(faults);
    expect(anonOf(before, '/a')).toBe(3); // (7, 1) was faulted already: no new page
    expect(before.byPath('/a')[0].nrTasks).toBe(1);
    const after = replay(`${faults}\n5 /a exit`);
    expect(anonOf(after, '/a')).toBe(0);
    expect(anonOf(after, '/b')).toBe(2);
    expect(after.byPath('/a')[0].nrTasks).toBe(0);
    expect(after.byPath('/b')[0].nrTasks).toBe(1);
    expect(after.ctx.s.pageCache.size).toBe(2); // the page cache outlives the task
  });

  it('free truncates cached file pages and frees named anon; pages not there are skipped', () => {
    const { ctx } = replay(`
      1 /a read 3 0 4
      2 /a fault 5 0 2
      3 /a free 3 1 2
      4 /a free 5 0 1
      5 /a free 9 0 8
    `);
    expect([...ctx.s.pageCache.keys()].sort()).toEqual([pageCacheKey(3, 0), pageCacheKey(3, 3)]);
    expect(ctx.s.shadows.size).toBe(0); // a truncate leaves no shadow entry
    expect([...ctx.s.folios.values()].filter((f) => !f.file)).toHaveLength(1);
  });

  it('replays the trace clock: the first record at tick 1, one tick a page, a pause catches up', () => {
    const { ctx } = replay(`
      100 /a read 1 0 4
      100 /a read 2 0 1
      5000 /a read 3 0 1
    `);
    const charges = ctx.log.filter((e) => EVENT_NAMES[e.type] === 'charge').map((e) => e.tick);
    const start = ctx.log.find((e) => EVENT_NAMES[e.type] === 'job_start')!.tick;
    expect(start).toBe(1);
    expect(charges).toEqual([2, 3, 4, 5, 6, 4901]);
  });

  it('a task the OOM killer picks exits at once (the rest of its record never happens); the next record starts a new one', () => {
    const { ctx, byPath } = replay(
      `
      1 /a fault 1 0 16
      2 /a read 4 0 1
    `,
      'reparent',
      { '/a': { max: 8 * PAGE_SIZE } },
    );
    const names = ctx.log.map((e) => EVENT_NAMES[e.type]);
    expect(names.filter((n) => n === 'oom_kill')).toHaveLength(1);
    expect(names.filter((n) => n === 'job_start')).toHaveLength(2);
    expect(names.filter((n) => n === 'job_exit')).toHaveLength(1);
    const a = byPath('/a')[0];
    expect(a.oomVictim).toBe(false);
    expect(a.nrTasks).toBe(1);
    expect([...ctx.s.folios.values()].filter((f) => !f.file)).toHaveLength(0);
    expect(ctx.s.pageCache.has(pageCacheKey(4, 0))).toBe(true);
  });

  it('the cursor round-trips', () => {
    const { w } = replay(JOB);
    const c = w.cursor();
    const again = new TraceWorkload(traceOf(JOB));
    again.restore(JSON.parse(JSON.stringify(c)));
    expect(again.cursor()).toEqual(c);
    expect(() => again.restore({ nextRecord: 99, tick: 0, anon: [] })).toThrow(/bad cursor/);
  });
});

describe('estimate', () => {
  it('is within a factor of two of the events the example appends, with and without memory pressure', () => {
    const { trace } = readTraceFile(join(ROOT, 'experiments', 'trace', 'example.csv'));
    const est = traceKind(() => trace).estimate({ kind: 'trace', file: 'example.csv' });
    expect(est.cgroups).toBe(trace.stats.mkdirs + trace.setup.length);
    for (const limits of [undefined, { '/system.slice': { max: 80 * PAGE_SIZE } }]) {
      const ctx = new TestCtx(getPolicy('legacy'), false);
      const w = new TraceWorkload(trace);
      w.setup(ctx, { memoryPages: 131072, mglru: false, objcgCharging: false, limits });
      while (w.stepsDone() < w.totalSteps) w.step(ctx);
      expect(est.events / ctx.s.seq).toBeGreaterThan(0.5);
      expect(est.events / ctx.s.seq).toBeLessThan(2);
    }
  });
});

describe('trace checks', () => {
  it('a cgroup first named by a non-mkdir record existed before: setup lists it after its ancestors', () => {
    const t = traceOf(`
      1 /a/b/c read 1 0 1
      2 /a/d mkdir
      3 /e exit
    `);
    expect(t.setup).toEqual(['/a', '/a/b', '/a/b/c', '/e']);
    expect(t.stats).toMatchObject({ records: 3, mkdirs: 1, filePages: 1, exits: 1 });
  });
});

describe('record validation', () => {
  it('quickRecord (the fast path) accepts exactly what the zod schema accepts, with the same result', () => {
    // a valid record, then up to two fields set to edge or bad values (or dropped)
    const valid = fc.record({
      tick: fc.nat(),
      cgroup: fc.constantFrom('/', '/a', '/a/b@1.service'),
      op: fc.constantFrom(...TRACE_OPS),
      inode: fc.integer({ min: 1, max: MAX_INODE }),
      index: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      pages: fc.integer({ min: 1, max: 2 ** 20 }),
    });
    const DROP = Symbol('drop');
    const edge = fc.constantFrom<unknown>(
      DROP,
      0,
      1,
      -1,
      1.5,
      '1',
      null,
      'a',
      '/',
      '/a b',
      '/a/../b',
      'rd',
      'exit',
      2 ** 20,
      2 ** 20 + 1,
      MAX_INODE + 1,
      2 ** 32 - 1,
      2 ** 32,
      Number.MAX_SAFE_INTEGER + 2,
    );
    const field = fc.constantFrom('tick', 'cgroup', 'op', 'inode', 'index', 'pages', 'pid');
    const record = fc.tuple(valid, fc.array(fc.tuple(field, edge), { maxLength: 2 })).map(([r, changes]) => {
      const raw: Record<string, unknown> = { ...r };
      for (const [k, v] of changes) {
        if (v === DROP) delete raw[k];
        else raw[k] = v;
      }
      return raw;
    });
    let accepted = 0;
    fc.assert(
      fc.property(record, (raw) => {
        const z = TraceRecordSchema.safeParse(raw);
        const quick = quickRecord(raw, new Map());
        expect(quick !== undefined).toBe(z.success);
        if (z.success) expect(quick).toEqual(z.data);
        if (z.success) accepted++;
      }),
      { numRuns: 5000 },
    );
    expect(accepted).toBeGreaterThan(1000); // both sides of the line are exercised
  });
});

describe('CSV lines', () => {
  it('splitCsv inverts RFC 4180 quoting of one line', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', '1', ',', '"', ' ', '/', 'é') }), { minLength: 1, maxLength: 6 }),
        (cells) => {
          const line = cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(',');
          expect(splitCsv(line)).toEqual(cells);
        },
      ),
    );
  });

  it('splitCsv reads any line as csv-parse (a well-kept RFC 4180 parser, trimming) does, or refuses it', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '1', ',', '"', ' ', '/', 'é'), maxLength: 24 }), (line) => {
        let lib: string[] | undefined;
        try {
          lib = (parse(line, { trim: true, relax_column_count: true }) as string[][])[0] ?? [''];
        } catch {
          lib = undefined; // csv-parse refuses it too
        }
        const ours = splitCsv(line);
        if (typeof ours === 'string') return; // refused: a trace line may be stricter than RFC 4180
        expect(ours).toEqual(lib);
      }),
    );
  });

  it('unquoted fields are trimmed; malformed quoting is an error', () => {
    expect(splitCsv(' 1 , /a ,read,,,')).toEqual(['1', '/a', 'read', '', '', '']);
    expect(splitCsv('1,"/a')).toMatch(/not closed/);
    expect(splitCsv('1,"/a"x,read')).toMatch(/after a quoted field/);
    expect(splitCsv('1,/a"b,read')).toMatch(/quote inside/);
  });
});
