import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cli, cliJson, ROOT, tempDir } from '../helpers.js';

const dir = tempDir();
const EXP = 'experiments/mglru-reparent.json';
const tiny = ['--set', 'workload.cycles=10', '--set', 'workload.accessesPerCycle=200'];

interface SweepOut {
  id: number;
  runs: { cell: number; id: number; policy: string; seed: number; status: string; stateHash: string; events: number }[];
}

describe('sweep, compare --sweep (real CLI, real SQLite file)', () => {
  const db = join(dir, 'sweep.db');
  let out: SweepOut;

  it('runs policies × seeds on worker processes; run ids follow the matrix order; each run replays to its hash', () => {
    out = cliJson<SweepOut>(['sweep', EXP, '--policies', 'legacy,same-gen', '--seeds', '1..3', ...tiny, '--jobs', '2', '--db', db]);
    expect(out.runs.map((r) => [r.cell, r.id, r.policy, r.seed])).toEqual([
      [0, 1, 'legacy', 1],
      [1, 2, 'legacy', 2],
      [2, 3, 'legacy', 3],
      [3, 4, 'reparent/same-gen', 1],
      [4, 5, 'reparent/same-gen', 2],
      [5, 6, 'reparent/same-gen', 3],
    ]);
    expect(out.runs.every((r) => r.status === 'done' && r.events > 0)).toBe(true);
    // same seed ⇒ same run, whatever --jobs: a plain run of cell 4 gives its hash
    const plain = cliJson(['run', EXP, '--policy', 'reparent', '--seed', '2', ...tiny, '--db', join(dir, 'plain.db')]);
    expect(plain.stateHash).toBe(out.runs[4].stateHash);
    // every run verifies in the main database: its chain (genesis included) moved in with it, against its own row
    // (every invariant after every event for run 5; the chain, snapshots and projections of all: invariants are not the point)
    expect(cliJson(['verify', '5', '--db', db]).ok).toBe(true);
    for (const r of out.runs) expect(cliJson(['verify', String(r.id), '--check-every', '1000000', '--db', db]).ok).toBe(true);
    // done, with no holder left on the run
    const held = cli(['query', 'SELECT count(*) AS n FROM runs WHERE pid IS NOT NULL OR heartbeat IS NOT NULL', '--db', db, '--json']);
    expect(JSON.parse(held.stdout)[0].n).toBe(0);
    expect(cliJson(['replay', '2', '--db', db]).stateHash).toBe(out.runs[1].stateHash);
    expect(readdirSync(dir).filter((f) => f.includes('.shard'))).toEqual([]); // shards moved in and removed
  });

  it('compare --sweep: mean, 95% CI and ratio per policy; the legend names the test; --csv', () => {
    const j = cliJson(['compare', '--sweep', String(out.id), '--db', db]);
    expect(j.baseline).toBe('legacy');
    expect(j.groups.map((g: any) => [g.policy, g.seeds])).toEqual([
      ['legacy', [1, 2, 3]],
      ['reparent/same-gen', [1, 2, 3]],
    ]);
    const dying = j.metrics.find((m: any) => m.metric === 'nr_dying').byPolicy;
    expect(dying.legacy.n).toBe(3);
    expect(dying.legacy.ci95).not.toBeNull();
    expect(dying['reparent/same-gen']).toMatchObject({ mean: 0, ratio: 0 });
    const text = cli(['compare', '--sweep', String(out.id), '--db', db]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/legacy \(n=3\)\s+reparent\/same-gen \(n=3\)\s+÷legacy/);
    expect(text.stdout).toMatch(/nr_dying\s+[\d.]+ ± [\d.]+/);
    expect(text.stdout).toContain("Welch's t-test p ≥ 0.05");
    const csv = cli(['compare', '--sweep', String(out.id), '--csv', '--db', db]).stdout.split('\n');
    expect(csv[0]).toBe('metric,policy,n,mean,sd,ci95_low,ci95_high,ratio_to_legacy,p_welch,within_noise');
    expect(csv.length).toBeGreaterThan(30);
  });

  it('compare refuses runs that differ in more than policy and seed; --where picks a slice; --force warns', () => {
    const grid = cliJson<SweepOut>([
      'sweep',
      EXP,
      '--policies',
      'legacy',
      '--seeds',
      '1,2',
      '--set',
      'workload.cycles=6,8',
      '--set',
      'workload.accessesPerCycle=200',
      '--db',
      db,
    ]);
    expect(grid.runs.map((r) => r.policy + r.seed)).toEqual(['legacy1', 'legacy2', 'legacy1', 'legacy2']);
    const r = cli(['compare', '--sweep', String(grid.id), '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^memcglab: runs \d+ and \d+ differ in workload\.cycles \(6 vs 8\), not only in policy, kernel and seed; .*--force\n$/,
    );
    const slice = cliJson(['compare', '--sweep', String(grid.id), '--where', 'workload.cycles=8', '--db', db]);
    expect(slice.groups[0].runs).toEqual([grid.runs[2].id, grid.runs[3].id]);
    const mixed = cli(['compare', '--runs', `1,${grid.runs[0].id}`, '--db', db]);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain('differ in workload.cycles (10 vs 6)');
    const forced = cli(['compare', '--runs', `1,2,${grid.runs[0].id}`, '--force', '--db', db]);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('memcglab: warning: runs 1 and');
  });

  it('a killed sweep resumes: what is missing runs, and every run ends as an uninterrupted sweep makes it', async () => {
    const args = [
      'sweep',
      EXP,
      '--policies',
      'legacy,tail',
      '--seeds',
      '1,2',
      '--set',
      'workload.cycles=40',
      '--set',
      'workload.accessesPerCycle=200',
      '--set',
      'snapshotEvery=5000',
      // 4 cores: two workers, each writing a shard (on a thread of its own) that moves in when done
      '--jobs',
      '4',
    ];
    const killed = join(dir, 'killed.db');
    const child = spawn(process.execPath, [CLI, ...args, '--db', killed, '--json'], { cwd: ROOT, detached: true, stdio: 'ignore' });
    // kill the whole process group (the sweep and its workers) once some run is done
    for (let i = 0; i < 400; i++) {
      await new Promise((r) => setTimeout(r, 50));
      if (!existsSync(killed)) continue;
      const q = cli(['query', "SELECT count(*) AS n FROM runs WHERE status = 'done'", '--db', killed, '--json']);
      if (q.code === 0 && JSON.parse(q.stdout)[0].n >= 1) break;
    }
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already done */
    }
    await exited;
    // resumed by one worker (--jobs 2): it goes on from the shards the two killed workers left
    const resumed = cliJson<SweepOut>(['sweep', '--resume', '1', '--jobs', '2', '--db', killed]);
    const fresh = cliJson<SweepOut>([...args, '--db', join(dir, 'fresh.db')]);
    expect(resumed.runs.map((r) => [r.id, r.status, r.stateHash])).toEqual(fresh.runs.map((r) => [r.id, r.status, r.stateHash]));
    for (const r of resumed.runs) expect(cliJson(['verify', String(r.id), '--check-every', '1000000', '--db', killed]).ok).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('killed.db.') && f.includes('.shard'))).toEqual([]);
    expect(cli(['sweep', '--resume', '1', '--db', killed]).code).toBe(0); // nothing left to do
    // a worker killed between moving its run in and removing its shard: resume removes the leftover
    writeFileSync(`${killed}.run1.shard`, 'left behind');
    expect(cli(['sweep', '--resume', '1', '--db', killed]).code).toBe(0);
    expect(existsSync(`${killed}.run1.shard`)).toBe(false);
  });

  it('one worker writes straight into the main database: the runs verify', () => {
    const one = cliJson<SweepOut>(['sweep', EXP, '--policies', 'legacy', '--seeds', '1,2', ...tiny, '--jobs', '1', '--db', db]);
    expect(one.runs.every((r) => r.status === 'done')).toBe(true);
    for (const r of one.runs) expect(cliJson(['verify', String(r.id), '--check-every', '1000000', '--db', db]).ok).toBe(true);
  });

  it('bad input is one line and a non-zero exit', () => {
    for (const [args, msg] of [
      [['sweep', EXP, '--seeds', '5..1', '--db', db], /^memcglab: --seeds 5\.\.1: the range goes down/],
      [['sweep', EXP, '--policies', 'nope', '--db', db], /^memcglab: unknown policy 'nope'/],
      [['sweep', '--resume', '99', '--db', db], /^memcglab: no sweep 99 in /],
      [['compare', '--sweep', '99', '--db', db], /^memcglab: no sweep 99 in /],
    ] as const) {
      const r = cli([...args]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
