import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CLI, cli, cliJson, eventDigest, ROOT, tempDir } from '../helpers.js';

const dir = tempDir();
// ~450 events per cycle; snapshots every ~11 cycles
const small = [
  '--set',
  'workload.accessesPerCycle=300',
  '--set',
  'workload.sharedFilePages=64',
  '--set',
  'workload.anonPages=32',
  '--set',
  'snapshotEvery=5000',
];

function snapshotsOf(db: string, run: number): number {
  try {
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return d.prepare('SELECT count(*) FROM snapshots WHERE run = ?').pluck().get(run) as number;
    } finally {
      d.close();
    }
  } catch {
    return 0; // not created or not migrated yet
  }
}

describe('crash safety: kill -9 mid-run, then resume', () => {
  it('the killed run shows interrupted; resume ends with the hash and event rows of a clean run', async () => {
    const db = join(dir, 'kill.db');
    const args = ['run', '--policy', 'legacy', '--set', 'workload.cycles=1200', ...small, '--db', db, '--json'];
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: 'ignore' });
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    const t0 = Date.now();
    while (snapshotsOf(db, 1) < 3) {
      if (Date.now() - t0 > 20_000) throw new Error('no snapshot within 20 s');
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    expect(await exited).toBeNull(); // killed, not finished

    const [row] = cliJson<any[]>(['runs', '--db', db]);
    expect(row.status).toBe('interrupted');
    expect(cli(['verify', '1', '--db', db]).code).toBe(0); // what survived is a consistent prefix

    const resumed = cliJson(['resume', '1', '--db', db]);
    const clean = cliJson([...args.slice(0, -1)]);
    expect(resumed.stateHash).toBe(clean.stateHash);
    expect(resumed.events).toBe(clean.events);
    expect(eventDigest(db, 1)).toEqual(eventDigest(db, clean.id));
    const runs = cliJson<any[]>(['runs', '--db', db]);
    expect(runs.map((r) => [r.status, r.events, r.stateHash])).toEqual([
      ['done', clean.events, clean.stateHash],
      ['done', clean.events, clean.stateHash],
    ]);
    const proj = cliJson(['query', `SELECT run, count(*) AS n, sum(nr_dying) AS d, max(seq) AS s FROM samples GROUP BY run`, '--db', db]);
    expect(proj[0]).toEqual({ ...proj[1], run: 1 });

    const again = cli(['resume', '1', '--db', db]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is done/);
  });
});

describe('replay, cat, verify and rebuild through the CLI', () => {
  const db = join(dir, 'tt.db');
  let run = 0;
  let events = 0;

  it('replay --tick and --cycle land where --seq says', () => {
    ({ id: run, events } = cliJson(['run', '--policy', 'legacy', '--set', 'workload.cycles=40', ...small, '--db', db]));
    const atCycle = cliJson(['replay', String(run), '--cycle', '17', '--db', db]);
    expect(atCycle.cycle).toBe(17);
    const bySeq = cliJson(['replay', String(run), '--seq', String(atCycle.seq), '--db', db]);
    expect(bySeq).toEqual(atCycle);
    const byTick = cliJson(['replay', String(run), '--tick', String(atCycle.tick), '--db', db]);
    expect(byTick.seq).toBeGreaterThanOrEqual(atCycle.seq);
    expect(byTick.tick).toBe(atCycle.tick);
    const human = cli(['replay', String(run), '--cycle', '17', '--db', db]);
    expect(human.stdout).toMatch(/after cycle 17/);
    expect(cli(['replay', String(run), '--cycle', '99', '--db', db]).stderr).toMatch(/past its end/);
    expect(cli(['replay', String(run), '--seq', '5', '--tick', '5', '--db', db]).stderr).toMatch(/one of/);
  });

  it('cat prints kernel files that parse back to what replay says', () => {
    const seq = Math.floor(events * 0.6);
    const rep = cliJson(['replay', String(run), '--seq', String(seq), '--db', db]);
    const cat = (path: string) => {
      const r = cli(['cat', String(run), path, '--seq', String(seq), '--db', db]);
      expect(r.stderr).toBe('');
      return r.stdout;
    };
    const live = rep.memcgs.filter((m: any) => m.state !== 'freed' && m.path !== '/');
    const dying = live.filter((m: any) => m.state === 'dying');
    expect(dying.length).toBeGreaterThan(2);
    for (const m of [live[0], dying[0], dying[dying.length - 1]]) {
      const text = cat(`${m.path}/memory.current`);
      expect(text).toMatch(/^\d+\n$/);
      expect(Number(text)).toBe(m.current);
    }
    const stat = Object.fromEntries(
      cat('/system.slice/memory.stat')
        .trim()
        .split('\n')
        .map((l) => l.split(' ')),
    );
    // memory_stats[] order: anon, file, shmem, file_mapped, file_dirty, file_writeback, swapcached, then the LRU sizes
    expect(Object.keys(stat).slice(0, 9)).toEqual([
      'anon',
      'file',
      'shmem',
      'file_mapped',
      'file_dirty',
      'file_writeback',
      'swapcached',
      'inactive_anon',
      'active_anon',
    ]);
    expect(Number(stat.pgscan)).toBe(Number(stat.pgscan_kswapd) + Number(stat.pgscan_direct) + Number(stat.pgscan_proactive));
    // memory.current also holds the running job's charge stock (charged ahead, up to MEMCG_CHARGE_BATCH
    // pages, not in memory.stat): the kernel's test_kmem_memcg_deletion allows 64 pages × nr_cpus
    const slack = rep.memcgs.find((m: any) => m.path === '/system.slice').current - (Number(stat.anon) + Number(stat.file));
    expect(slack).toBeGreaterThanOrEqual(0);
    expect(slack).toBeLessThanOrEqual(64 * 4096);
    expect(Number(stat.inactive_file) + Number(stat.active_file)).toBe(Number(stat.file));
    const online = live.filter((m: any) => m.state === 'online').length;
    expect(cat('/cgroup.stat')).toBe(`nr_descendants ${online}\nnr_dying_descendants ${rep.nr_dying}\n`);
    expect(cat('/system.slice/cgroup.stat')).toMatch(new RegExp(`^nr_descendants \\d+\nnr_dying_descendants ${rep.nr_dying}\n$`));

    const root = cli(['cat', String(run), '/memory.current', '--db', db]);
    expect(root.code).toBe(1);
    expect(root.stderr).toMatch(/does not exist in the root cgroup/);
    expect(cli(['cat', String(run), '/nope.slice/memory.stat', '--db', db]).stderr).toMatch(/no live cgroup \/nope.slice/);
    expect(cli(['cat', String(run), '/system.slice/memory.bogus', '--db', db]).stderr).toMatch(/no file 'memory.bogus'/);
  });

  it('verify passes the run, and names the seq of a corrupted row in a copy', () => {
    const ok = cliJson(['verify', String(run), '--db', db]);
    expect(ok).toEqual({ ok: true, events, stateHash: expect.any(String), violations: [] });
    const bad = join(dir, 'tt-bad.db');
    copyFileSync(db, bad);
    const d = new Database(bad);
    const seq = d.prepare('SELECT seq FROM events WHERE run = ? AND type = 3 LIMIT 1 OFFSET 4').pluck().get(run) as number; // a memcg_offline
    d.prepare('UPDATE events SET memcg = 1 WHERE run = ? AND seq = ?').run(run, seq); // rmdir of the root: EBUSY
    d.close();
    const r = cli(['verify', String(run), '--db', bad, '--json']);
    expect(r.code).toBe(1);
    const v = JSON.parse(r.stdout);
    expect(v.ok).toBe(false);
    expect(v.violations[0]).toMatchObject({ seq, type: 'memcg_offline', invariant: 'evolve' });
    const human = cli(['verify', String(run), '--db', bad]);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(new RegExp(`FAILED at seq ${seq} \\(memcg_offline\\)`));
    // and where to look at it: serve's timeline at that seq
    expect(human.stdout).toContain(`memcglab serve --db ${bad}, then http://127.0.0.1:8080/#/run/${run}?seq=${seq}`);
  });

  it('rebuild regenerates the projections', () => {
    const q = (sql: string) => cli(['query', sql, '--csv', '--db', db]).stdout;
    const before = q(`SELECT * FROM samples WHERE run = ${run} ORDER BY seq`) + q(`SELECT * FROM memcgs WHERE run = ${run} ORDER BY id`);
    expect(cliJson(['rebuild', String(run), '--db', db])).toMatchObject({ events, samples: 40 });
    expect(q(`SELECT * FROM samples WHERE run = ${run} ORDER BY seq`) + q(`SELECT * FROM memcgs WHERE run = ${run} ORDER BY id`)).toBe(
      before,
    );
  });
});
