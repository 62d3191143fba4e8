import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cli, cliJson, tempDir } from '../helpers.js';

const dir = tempDir();
const small = ['--set', 'workload.cycles=20', '--set', 'workload.accessesPerCycle=300'];

function samples(db: string, run: number): { cycle: number; nr_dying: number }[] {
  return cliJson(['query', `SELECT cycle, nr_dying FROM samples WHERE run = ${run} ORDER BY cycle`, '--db', db]);
}

describe('memcglab run (end to end, real CLI, real SQLite file)', () => {
  const db = join(dir, 'lab.db');

  it('legacy with private file pages: nr_dying grows by one per cycle', () => {
    const r = cliJson(['run', '--policy', 'legacy', ...small, '--db', db]);
    const rows = samples(db, r.id);
    expect(rows).toHaveLength(20);
    for (const s of rows) expect(s.nr_dying).toBe(s.cycle);
    expect(r.metrics.nr_dying).toBe(20);
    expect(r.metrics.dying_bytes).toBeGreaterThan(20 * 70_000);
  });

  it('legacy without private pages: only the first instance (which charged the shared file) stays dying', () => {
    const r = cliJson(['run', '--policy', 'legacy', ...small, '--set', 'workload.privateFilePages=0', '--db', db]);
    for (const s of samples(db, r.id)) expect(s.nr_dying).toBe(1);
    const dying = cliJson([
      'query',
      `SELECT path FROM memcgs WHERE run = ${r.id} AND offline_seq IS NOT NULL AND freed_seq IS NULL`,
      '--db',
      db,
    ]);
    expect(dying).toEqual([{ path: '/system.slice/job@1.service' }]);
  });

  it('reparent: nr_dying is 0 after every cycle and removing a child leaves the parent memory.current unchanged', () => {
    const r = cliJson(['run', '--policy', 'reparent', ...small, '--db', db]);
    for (const s of samples(db, r.id)) expect(s.nr_dying).toBe(0);
    const life = cliJson<{ offline_seq: number; freed_seq: number }[]>([
      'query',
      `SELECT offline_seq, freed_seq FROM memcgs WHERE run = ${r.id} AND path LIKE '/system.slice/job@%' ORDER BY id`,
      '--db',
      db,
    ]);
    expect(life).toHaveLength(20);
    for (const { offline_seq, freed_seq } of [life[0], life[9], life[19]]) {
      expect(freed_seq).toBeGreaterThan(offline_seq);
      const parentAt = (seq: number) =>
        cliJson(['replay', String(r.id), '--seq', String(seq), '--db', db]).memcgs.find((m: any) => m.path === '/system.slice');
      const before = parentAt(offline_seq - 1);
      const after = parentAt(freed_seq);
      expect(before.current).toBeGreaterThan(0);
      expect(after.current).toBe(before.current);
      expect(after.state).toBe('online');
    }
  });

  it('same experiment and seed twice: identical event rows and state hash; replay to the end gives the run hash', () => {
    const a = cliJson(['run', '--policy', 'reparent', '--seed', '7', ...small, '--set', 'machine.memory=1MiB', '--db', db]);
    const b = cliJson(['run', '--policy', 'reparent', '--seed', '7', ...small, '--set', 'machine.memory=1MiB', '--db', db]);
    expect(a.metrics.pgsteal).toBeGreaterThan(0); // under pressure: reclaim decisions are in the log too
    expect(b.stateHash).toBe(a.stateHash);
    const rows = (run: number) =>
      cli(['query', `SELECT seq, tick, type, memcg, folio, a, b, data FROM events WHERE run = ${run} ORDER BY seq`, '--csv', '--db', db])
        .stdout;
    const ra = rows(a.id);
    expect(ra.split('\n').length).toBe(a.events + 2); // header + rows + trailing newline
    expect(rows(b.id)).toBe(ra);
    const c = cliJson(['run', '--policy', 'reparent', '--seed', '8', ...small, '--set', 'machine.memory=1MiB', '--db', db]);
    expect(c.stateHash).not.toBe(a.stateHash);
    const end = cliJson(['replay', String(a.id), '--db', db]);
    expect(end.stateHash).toBe(a.stateHash);
    expect(end.seq).toBe(a.events);
  });

  it('runs, show and query list what was run', () => {
    const runs = cliJson<any[]>(['runs', '--db', db]);
    expect(runs.length).toBeGreaterThanOrEqual(4);
    expect(runs.every((r) => r.status === 'done')).toBe(true);
    const show = cliJson(['show', String(runs[0].id), '--db', db]);
    expect(show.metrics.nr_dying).toBeTypeOf('number');
    const types = cliJson<{ type: string; n: number }[]>([
      'query',
      `SELECT type, count(*) AS n FROM events_v WHERE run = ${runs[0].id} GROUP BY type`,
      '--db',
      db,
    ]);
    expect(types.map((t) => t.type)).toContain('memcg_offline');
    const human = cli(['runs', '--db', db]);
    expect(human.stdout).toMatch(/policy/);
  });
});

describe('a reader that stops early (… | head)', () => {
  it('query, export and replay end quietly with exit 0 when stdout is closed mid-output', async () => {
    const db = join(dir, 'lab.db'); // the runs above: thousands of rows
    for (const args of [
      ['query', 'SELECT * FROM events'],
      ['query', 'SELECT * FROM events', '--csv'],
      ['export', '1'],
      ['replay', '1', '--json'],
    ]) {
      const child = spawn(process.execPath, [CLI, ...args, '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.once('data', () => child.stdout.destroy()); // the first chunk, then the reader is gone
      const code = await new Promise<number | null>((res) => child.on('close', res));
      expect([args.join(' '), code, stderr]).toEqual([args.join(' '), 0, '']);
    }
  });
});

describe('bad input: one clear line, non-zero exit, nothing written', () => {
  const db = join(dir, 'bad.db');

  it('an invalid experiment field names the field', () => {
    const r = cli(['run', '--set', 'workload.cycles=-3', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/workload\.cycles/);
    expect(existsSync(db)).toBe(false);
  });

  it('limits on a cgroup that does not exist at setup are refused, with the fix', () => {
    const r = cli(['run', '--set', 'limits={"/other.slice":{"max":"1MiB"}}', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/limits: got "\/other\.slice": .*workload\.jobLimits/);
    expect(existsSync(db)).toBe(false);
  });

  it('a missing or malformed experiment file', () => {
    expect(cli(['run', join(dir, 'nope.json'), '--db', db]).stderr).toMatch(/cannot read experiment file/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "name": ');
    const r = cli(['run', bad, '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not valid JSON/);
  });

  it('an unknown policy, an unknown run, a missing database', () => {
    expect(cli(['run', '--policy', 'smart', '--db', db]).stderr).toMatch(/policy/);
    const q = cli(['query', 'SELECT 1', '--db', join(dir, 'missing.db')]);
    expect(q.code).toBe(1);
    expect(q.stderr).toMatch(/does not exist/);
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
    cliJson(['run', ...small, '--set', 'workload.cycles=2', '--db', db]);
    const r = cli(['replay', '99', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no run 99/);
    expect(cli(['replay', '1', '--seq', '99999999', '--db', db]).stderr).toMatch(/past its end/);
  });

  it('query refuses writes and leaves the database as it was', () => {
    const before = cli(['query', 'SELECT count(*) AS n FROM events', '--db', db]).stdout;
    const r = cli(['query', 'DELETE FROM events', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/read-only/);
    expect(cli(['query', 'SELECT count(*) AS n FROM events', '--db', db]).stdout).toBe(before);
    expect(cli(['query', 'SELEC nonsense', '--db', db]).stderr).toMatch(/SQL error/);
  });

  it('a global OOM (anon fills a tiny machine) kills the job, not the run: every cycle is logged and the run ends done', () => {
    const oomDb = join(dir, 'oom.db');
    const r = cliJson(['run', '--set', 'machine.memory=256KiB', '--set', 'workload.cycles=3', '--db', oomDb]);
    expect(r.metrics.oom_kill).toBe(3); // one kill per instance: 128 anon pages never fit in 64
    expect(r.metrics.oom_events).toBe(0); // `oom` is raised by mem_cgroup_oom only, not by a global OOM
    const [run] = cliJson<any[]>(['runs', '--db', oomDb]);
    expect(run.status).toBe('done');
    const cycles = cliJson<{ n: number }[]>([
      'query',
      `SELECT count(*) AS n FROM events_v WHERE run = ${r.id} AND type = 'cycle'`,
      '--db',
      oomDb,
    ]);
    expect(cycles[0].n).toBe(3);
    const kill = cliJson<{ seq: number; a: number }[]>([
      'query',
      `SELECT seq, a FROM events_v WHERE run = ${r.id} AND type = 'oom_kill' ORDER BY seq LIMIT 1`,
      '--db',
      oomDb,
    ]);
    expect(kill[0].a).toBe(1); // the OOM domain is the root: a global OOM
    const ev = cli(['cat', String(r.id), '/system.slice/job@1.service/memory.events', '--seq', String(kill[0].seq), '--db', oomDb]).stdout;
    expect(ev).toMatch(/^oom 0$/m);
    expect(ev).toMatch(/^oom_kill 1$/m); // counted on the victim's memcg for global OOMs too
  });

  it('MEMCGLAB_DB chooses the database when --db is not given', () => {
    const envDb = join(dir, 'env.db');
    const r = cli(['run', ...small, '--set', 'workload.cycles=1', '--json'], { MEMCGLAB_DB: envDb });
    expect(r.code).toBe(0);
    expect(existsSync(envDb)).toBe(true);
  });
});
