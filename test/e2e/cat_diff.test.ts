import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliJson, tempDir } from '../helpers.js';

// cat --json, memory.numa_stat and diff through the real CLI on a real database: an MGLRU run under
// pressure (reclaim, refaults, memory.high events) with reparenting, and the same under legacy
// (dying cgroups that keep their pages).
const dir = tempDir();
const db = join(dir, 'catdiff.db');
const small = ['--set', 'workload.cycles=12', '--set', 'workload.accessesPerCycle=600', '--set', 'workload.jobLimits.high=1MiB'];
const SIZES = ['--set', 'snapshotEvery=3000'];

let reparent = 0;
let legacy = 0;

function run(policy: string): number {
  return cliJson(['run', 'experiments/mglru-reparent.json', '--policy', policy, ...small, ...SIZES, '--db', db]).id;
}

function ok(args: string[]): string {
  const r = cli([...args, '--db', db]);
  if (r.code !== 0) throw new Error(`memcglab ${args.join(' ')}: ${r.stderr}`);
  expect(r.stderr).toBe('');
  return r.stdout;
}

const json = <T = any>(args: string[]): T => JSON.parse(ok([...args, '--json'])) as T;

function one<T = any>(sql: string): T {
  return json<T[]>(['query', sql])[0];
}

/** A cgroup's life from the memcgs table. */
function life(runId: number, path: string): { id: number; offline_seq: number; freed_seq: number | null } {
  return one(`SELECT id, offline_seq, freed_seq FROM memcgs WHERE run = ${runId} AND path = '${path}'`);
}

/** The seq of job N's exit: its pages are still charged, its cgroup still online. */
function exitSeq(runId: number, job: number): number {
  return one<{ seq: number }>(`SELECT seq FROM events_v WHERE run = ${runId} AND type = 'job_exit' AND a = ${job}`).seq;
}

/** The text formats, parsed back the way a script reading /sys/fs/cgroup would. */
function parseText(file: string, text: string): unknown {
  const lines = text.trimEnd().split('\n');
  if (['memory.current', 'memory.max', 'memory.high', 'memory.min', 'memory.low'].includes(file))
    return lines[0] === 'max' ? 'max' : Number(lines[0]);
  if (file === 'memory.numa_stat')
    return Object.fromEntries(
      lines.map((l) => {
        const [k, ...nodes] = l.split(' ');
        return [k, Object.fromEntries(nodes.map((n) => [n.split('=')[0], Number(n.split('=')[1])]))];
      }),
    );
  if (file === '/sys/kernel/debug/lru_gen') {
    const out: any[] = [];
    for (const l of lines) {
      const m = /^memcg\s+(\d+) (.*)$/.exec(l);
      const n = /^ node\s+(\d+)$/.exec(l);
      const g = /^\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(l);
      if (m) out.push({ memcg: +m[1], path: m[2], nodes: [] });
      else if (n) out.at(-1).nodes.push({ node: +n[1], gens: [] });
      else if (g) out.at(-1).nodes.at(-1).gens.push({ seq: +g[1], age_ms: +g[2], anon: +g[3], file: +g[4] });
      else throw new Error(`unparsed lru_gen line '${l}'`);
    }
    return out;
  }
  return Object.fromEntries(lines.map((l) => [l.split(' ')[0], Number(l.split(' ')[1])]));
}

const JOB_FILES = [
  'memory.current',
  'memory.stat',
  'memory.numa_stat',
  'memory.max',
  'memory.high',
  'memory.min',
  'memory.low',
  'memory.events',
  'memory.events.local',
  'cgroup.stat',
];

/** memory_stats[] items that are node items, in order, as far as the model has them. */
const NUMA_KEYS = [
  'anon',
  'file',
  'shmem',
  'file_mapped',
  'file_dirty',
  'file_writeback',
  'swapcached',
  'inactive_anon',
  'active_anon',
  'inactive_file',
  'active_file',
  'unevictable',
  'workingset_refault_anon',
  'workingset_refault_file',
  'workingset_activate_anon',
  'workingset_activate_file',
  'workingset_restore_anon',
  'workingset_restore_file',
];

describe('cat --json and memory.numa_stat', () => {
  it('runs the two policies', () => {
    reparent = run('reparent');
    legacy = run('legacy');
    expect(legacy).toBeGreaterThan(reparent);
  });

  it('cat --json holds exactly the values the text prints, for every file, with the point it was read at', () => {
    const seq = exitSeq(reparent, 6);
    const job = '/system.slice/job@6.service';
    const paths = [
      ...JOB_FILES.map((f) => `${job}/${f}`),
      ...['memory.stat', 'memory.events', 'cgroup.stat'].map((f) => `/system.slice/${f}`),
      '/memory.stat',
      '/memory.numa_stat',
      '/cgroup.stat',
      '/sys/kernel/debug/lru_gen',
    ];
    const seen = new Set<string>();
    for (const path of paths) {
      const args = ['cat', String(reparent), path, '--seq', String(seq)];
      const j = json(args);
      const file = path.startsWith('/sys/') ? path : path.slice(path.lastIndexOf('/') + 1);
      expect(j.content, path).toEqual(parseText(file, ok(args)));
      expect(j).toMatchObject({ runId: reparent, seq, path, file });
      if (path.startsWith(job)) expect(j.cgroup).toBe(job);
      seen.add(JSON.stringify(j.content));
    }
    // the run is rich enough that the comparison means something
    const stat = json(['cat', String(reparent), `${job}/memory.stat`, '--seq', String(seq)]).content;
    expect(stat.pgscan).toBeGreaterThan(0);
    expect(stat.workingset_refault_file).toBeGreaterThan(0);
    expect(json(['cat', String(reparent), `${job}/memory.events`, '--seq', String(seq)]).content.high).toBeGreaterThan(0);
    expect(json(['cat', String(reparent), `${job}/memory.high`, '--seq', String(seq)]).content).toBe(1 << 20);
    expect(json(['cat', String(reparent), `${job}/memory.max`, '--seq', String(seq)]).content).toBe('max');
    expect(json(['cat', String(reparent), '/cgroup.stat', '--seq', String(seq)])).toMatchObject({ cgroup: '/', memcg: 1 });
    expect(json(['cat', String(reparent), '/sys/kernel/debug/lru_gen', '--seq', String(seq)])).toMatchObject({ cgroup: null, memcg: null });
    expect(seen.size).toBeGreaterThan(8);
  });

  it('memory.numa_stat: the node items of memory.stat, N0 equal to memory.stat with one node, in the root too', () => {
    for (const [runId, points] of [
      [reparent, ['--cycle', '5']],
      [legacy, ['--seq', String(exitSeq(legacy, 9))]],
    ] as const) {
      const dying = runId === legacy ? ['/system.slice/job@3.service'] : [];
      for (const cg of ['', '/system.slice', ...dying]) {
        const at = ['cat', String(runId), `${cg}/memory.numa_stat`, ...points];
        const numa = json(at).content;
        const stat = json(['cat', String(runId), `${cg}/memory.stat`, ...points]).content;
        expect(Object.keys(numa)).toEqual(NUMA_KEYS);
        for (const k of NUMA_KEYS) expect(numa[k], `${cg} ${k}`).toEqual({ N0: stat[k] });
        expect(stat.file).toBeGreaterThan(0);
      }
    }
    expect(ok(['cat', String(reparent), '/system.slice/memory.numa_stat'])).toMatch(/^anon N0=\d+\nfile N0=\d+\n/);
  });

  it('PSI files are refused as not modelled, other unknown files with the list of known ones, in one line', () => {
    const psi = cli(['cat', String(reparent), '/system.slice/memory.pressure', '--db', db]);
    expect(psi.code).toBe(1);
    expect(psi.stdout).toBe('');
    expect(psi.stderr).toMatch(/^memcglab: memory\.pressure is PSI .*not model.*memory\.numa_stat.*\n$/);
    expect(psi.stderr.trimEnd().split('\n')).toHaveLength(1);
    const bogus = cli(['cat', String(reparent), '/system.slice/memory.swap.current', '--db', db, '--json']);
    expect(bogus.code).toBe(1);
    expect(bogus.stderr).toMatch(
      /^memcglab: no file 'memory.swap.current' in the model; files: memory.current, memory.stat, memory.numa_stat,.*\n$/,
    );
    expect(cli(['cat', String(reparent), '/memory.current', '--db', db]).stderr).toMatch(/does not exist in the root cgroup/);
  });
});

describe('diff', () => {
  it('diff --from P --to Q equals the difference of cat --json at P and at Q, for memory.stat and cgroup.stat', () => {
    const to = json(['replay', String(legacy), '--cycle', '9']);
    const P = ['cycle:3', '--cycle', '3'];
    const Q = [`tick:${to.tick}`, '--tick', String(to.tick)];
    const d = json(['diff', String(legacy), '--from', P[0], '--to', Q[0], '--all']);
    expect(d.from).toMatchObject({ point: 'cycle:3', cycle: 3 });
    expect(d.to).toMatchObject({ point: Q[0], tick: to.tick, seq: to.seq });
    expect(d.values).toBe('hierarchical');
    for (const cg of ['/', '/system.slice', '/system.slice/job@2.service']) {
      const c = d.cgroups.find((x: any) => x.path === cg);
      expect(c.from, cg).toBe(cg.includes('job@') ? 'dying' : 'online');
      for (const file of ['memory.stat', 'cgroup.stat']) {
        const a = json(['cat', String(legacy), `${cg === '/' ? '' : cg}/${file}`, P[1], P[2]]).content;
        const b = json(['cat', String(legacy), `${cg === '/' ? '' : cg}/${file}`, Q[1], Q[2]]).content;
        const want = Object.fromEntries(Object.keys(b).map((k) => [k, { from: a[k], to: b[k], delta: b[k] - a[k] }]));
        expect(c.files[file], `${cg} ${file}`).toEqual(want);
        // without --all: exactly the keys that moved
        const changed = json(['diff', String(legacy), '--from', P[0], '--to', Q[0], '--cgroup', cg]).cgroups[0]?.files[file] ?? {};
        expect(Object.keys(changed)).toEqual(Object.keys(want).filter((k) => want[k].delta !== 0));
      }
    }
    // job@4 … job@9 were created and removed (rmdir: dying under legacy) between the points
    const born = d.cgroups.filter((c: any) => c.from === null);
    expect(born.map((c: any) => c.path)).toEqual([4, 5, 6, 7, 8, 9].map((n) => `/system.slice/job@${n}.service`));
    for (const c of born) expect(c).toMatchObject({ to: 'dying', created: expect.any(Number), removed: expect.any(Number), freed: null });
    expect(d.cgroups.find((c: any) => c.path === '/').files['cgroup.stat'].nr_dying_descendants.delta).toBe(6);
  });

  it("across a reparent, --local shows the child's pages and counts reaching its parent; hierarchical sizes and counts do not move", () => {
    const job = '/system.slice/job@6.service';
    const l = life(reparent, job);
    expect(l.freed_seq).not.toBeNull();
    const args = ['diff', String(reparent), '--from', `seq:${exitSeq(reparent, 6)}`, '--to', `seq:${l.freed_seq}`];
    const d = json([...args, '--local', '--cgroup', '/system.slice', '-r']);
    const child = d.cgroups.find((c: any) => c.path === job);
    const parent = d.cgroups.find((c: any) => c.path === '/system.slice');
    expect(child).toMatchObject({ memcg: l.id, from: 'online', to: 'freed', created: null, removed: l.offline_seq, freed: l.freed_seq });
    const moved = child.files['memory.stat'];
    expect(moved.file.from).toBeGreaterThan(0);
    expect(moved.pgscan.from).toBeGreaterThan(0);
    const lru = /^(in)?active_/;
    for (const [k, v] of Object.entries<any>(moved)) {
      expect(v.to, k).toBeNull(); // freed: the child is gone
      if (!lru.test(k)) expect((parent.files['memory.stat'][k]?.delta ?? 0) + v.delta, k).toBe(0);
    }
    // MGLRU's same-gen splice may file a page active in the child and inactive in the aged parent: the sum holds
    const sum = (f: any, t: string) => (f[`inactive_${t}`]?.delta ?? 0) + (f[`active_${t}`]?.delta ?? 0);
    for (const t of ['anon', 'file']) expect(sum(parent.files['memory.stat'], t) + sum(moved, t), t).toBe(0);

    const hier = json([...args, '--cgroup', '/system.slice']).cgroups[0];
    // hierarchically the pages never left /system.slice: only aging the parent (same-gen) re-files active/inactive
    expect(Object.keys(hier.files['memory.stat']).filter((k) => !lru.test(k))).toEqual([]);
    expect(sum(hier.files['memory.stat'], 'file')).toBe(0);
    expect(hier.files['cgroup.stat'].nr_descendants).toEqual({ from: 1, to: 0, delta: -1 });

    const text = ok([...args, '--local', '--cgroup', '/system.slice', '-r']);
    expect(text).toMatch(/^run \d+: seq:\d+ \(seq \d+, tick \d+, cycle \d+\) → seq:\d+ .*; memory\.stat values local\n/);
    expect(text).toMatch(new RegExp(`${job.replace(/[.@]/g, '\\$&')}\\s+online\\s+freed\\s+-\\s+${l.offline_seq}\\s+${l.freed_seq}\n`));
    expect(text).toMatch(/\ncgroup\s+key\s+from\s+to\s+delta\n/);
    expect(text).toMatch(new RegExp(`/system\\.slice\\s+file\\s+\\d+\\s+\\d+\\s+\\+${moved.file.from}\n`));
  });

  it('the same point twice is an empty diff', () => {
    const d = json(['diff', String(reparent), '--from', 'cycle:4', '--to', 'cycle:4']);
    expect(d.cgroups).toEqual([]);
    expect(ok(['diff', String(reparent), '--from', 'cycle:4', '--to', 'cycle:4'])).toMatch(/no changes between the two points\n$/);
  });

  it('bad points and cgroups: one line naming the problem, exit 1, nothing on stdout', () => {
    const r = String(reparent);
    for (const [args, msg] of [
      [['--from', 'seq:99999999'], /--from seq:99999999 is past its end/],
      [['--from', 'cycle:1', '--to', 'cycle:99'], /ends after cycle 12; --to cycle:99 is past its end/],
      [['--from', 'tick:99999999'], /ends at tick \d+; --from tick:99999999 is past its end/],
      [['--from', 'cycle:8', '--to', 'cycle:2'], /--from cycle:8 \(seq \d+\) is after --to cycle:2 \(seq \d+\)/],
      [['--from', 'cycle:2', '--cgroup', '/nope.slice'], /no cgroup \/nope\.slice at seq \d+, at seq \d+ or between them/],
      [['--from', 'cycle:2', '--cgroup', 'system.slice'], /--cgroup 'system.slice' is not an absolute cgroup path/],
      [['--from', 'yesterday'], /--from 'yesterday' is not a point; give seq:N, tick:T, cycle:C or end/],
      [['--from', 'cycle:0'], /cycles count from 1/],
      [[], /required option '--from <point>'/],
    ] as const) {
      const out = cli(['diff', r, ...args, '--db', db, '--json']);
      expect(out.code, args.join(' ')).toBe(1);
      expect(out.stdout).toBe('');
      expect(out.stderr).toMatch(new RegExp(`^memcglab: .*${msg.source}.*\\n$`));
      expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});
