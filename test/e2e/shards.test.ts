import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { CLI, type CliResult, cli, cliJson, cutAfterSnapshot, ROOT, tempDir } from '../helpers.js';

const dir = tempDir();
const EXP = 'experiments/mglru-reparent.json';
// 4 policies × 3 seeds = 12 tiny runs (~5 k events, 2 snapshots each)
const MATRIX = [
  EXP,
  '--policies',
  'legacy,same-gen,tail,age-order',
  '--seeds',
  '1..3',
  '--set',
  'workload.cycles=3',
  '--set',
  'workload.accessesPerCycle=200',
  '--set',
  'snapshotEvery=2000',
];
const shardDb = (i: number) => join(dir, `memcglab.shard-${i}-of-4.db`);

/** The CLI as a child process that runs beside others (as a scheduler starts array tasks). */
function cliAsync(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

interface Row {
  id: number;
  sweep: number;
  sweep_cell: number;
  experiment: string;
  policy: string;
  seed: number;
  status: string;
  state_hash: string;
  events: number;
}

/** The runs of a database file, by cell (read-only, straight from SQLite). */
function runsOf(db: string): Row[] {
  const d = new Database(db, { readonly: true });
  try {
    return d
      .prepare('SELECT id, sweep, sweep_cell, experiment, policy, seed, status, state_hash, events FROM runs ORDER BY sweep_cell')
      .all() as Row[];
  } finally {
    d.close();
  }
}

/** A consistent copy of a database file (WAL and all), to damage or age in a test. */
function copyDb(from: string, to: string, change?: (d: Database.Database) => void): string {
  const src = new Database(from, { readonly: true });
  src.exec(`VACUUM INTO '${to}'`);
  src.close();
  if (change) {
    const d = new Database(to);
    change(d);
    d.close();
  }
  return to;
}

/** CLI calls, `n` at a time (the machine has few cores; tiny commands are mostly start-up). */
async function cliMany(calls: { args: string[]; env?: Record<string, string> }[], n = 4): Promise<CliResult[]> {
  const out: CliResult[] = [];
  for (let i = 0; i < calls.length; i += n) out.push(...(await Promise.all(calls.slice(i, i + n).map((c) => cliAsync(c.args, c.env)))));
  return out;
}

function oneLine(r: CliResult, code: number, msg: RegExp): void {
  expect(r.stderr).toMatch(msg);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.code).toBe(code);
}

describe('sweeps sharded as a batch scheduler runs them, then merged (real CLI, real SQLite files)', () => {
  const all = join(dir, 'all.db');
  const one = join(dir, 'one.db');

  it('4 array tasks in parallel (SLURM_ARRAY_TASK_ID) + merge = the sweep run on one machine, run for run; verify passes on each', async () => {
    const env = (id: number) => ({
      SLURM_ARRAY_TASK_ID: String(id),
      SLURM_ARRAY_TASK_MIN: '1', // an --array=1-4 job: ids start at 1
      SLURM_ARRAY_TASK_COUNT: '4',
      MEMCGLAB_DB: join(dir, 'memcglab.db'), // no --db: each task writes memcglab.shard-i-of-4.db next to it
    });
    const [whole, ...shards] = await Promise.all([
      cliAsync(['sweep', ...MATRIX, '--jobs', '1', '--db', one, '--json']),
      ...[1, 2, 3, 4].map((id) => cliAsync(['sweep', ...MATRIX, '--jobs', '1', '--json'], env(id))),
    ]);
    for (const r of [whole, ...shards]) expect(r.stderr).toBe('');
    // each shard ran a disjoint slice; together they are the 12 cells
    const cells = [0, 1, 2, 3].map((i) => runsOf(shardDb(i)).map((r) => r.sweep_cell));
    expect(cells.flat().sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect(shards.map((s) => JSON.parse(s.stdout).shard)).toEqual([0, 1, 2, 3].map((index) => ({ index, count: 4 })));

    const m = cli(['merge', ...[0, 1, 2, 3].map(shardDb), '--into', all]);
    expect(m.code).toBe(0);
    const lines = m.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toMatch(
      /merged 12 runs \([\d,]+ events\) in .* events\/s; sweep 1 'mglru-reparent-under-pressure' holds 12 of 12 cells$/,
    );

    // the same runs under the same ids (merge copies in matrix order), one sweep, same results
    const pick = (r: Row) => [r.id, r.sweep, r.sweep_cell, r.experiment, r.policy, r.seed, r.status, r.state_hash, r.events];
    const merged = runsOf(all);
    expect(merged.map(pick)).toEqual(runsOf(one).map(pick));
    expect(merged.every((r) => r.status === 'done' && r.events > 0)).toBe(true);
    // verify (the re-sealed chain, the log, snapshots, projections) on every merged run
    const verified = await cliMany(
      merged.map((r) => ({ args: ['verify', String(r.id), '--check-every', '1000000', '--json', '--db', all] })),
    );
    for (const r of verified) expect(JSON.parse(r.stdout).ok).toBe(true);
    // compare and runs work on the merge as on one machine
    const cmp = (db: string) => {
      const { baseline, groups, metrics } = cliJson(['compare', '--sweep', '1', '--db', db]);
      return { baseline, groups, metrics };
    };
    expect(cmp(all)).toEqual(cmp(one));
    expect(cliJson(['runs', '--sweep', '1', '--db', all])).toHaveLength(12);
  });

  it('merging a shard again adds nothing and says so in one line; so does rerunning a finished array task', () => {
    const again = cli(['merge', shardDb(2), '--into', all]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^\S+memcglab\.shard-2-of-4\.db: nothing to merge: its \d+ done runs? (is|are) already in \S+all\.db\n$/);
    expect(runsOf(all)).toHaveLength(12);
    const rerun = cliJson(['sweep', ...MATRIX, '--shard', '2/4', '--db', shardDb(2)]);
    expect(rerun).toMatchObject({ id: 1, ran: 0 });
    expect(runsOf(shardDb(2)).every((r) => r.sweep === 1)).toBe(true); // the same sweep, not a second one
  });

  it('a killed shard: merge leaves its unfinished runs out (naming them); rerun, it runs only those; merged again, all there', () => {
    const killed = copyDb(shardDb(0), join(dir, 'killed.db'));
    const before = runsOf(killed);
    expect(before.length).toBeGreaterThanOrEqual(2);
    const st = openStore(killed);
    cutAfterSnapshot(st, before[0].id, 0, 7); // killed mid-run, after its first snapshot
    st.sqlite.prepare("UPDATE runs SET status = 'failed', error = 'oom' WHERE id = ?").run(before[1].id);
    st.sqlite.close();
    const part = join(dir, 'part.db');
    const m1 = cli(['merge', killed, '--into', part]);
    expect(m1.code).toBe(0);
    expect(m1.stdout).toContain(`skipped 2 runs not done (run ${before[0].id} interrupted, run ${before[1].id} failed)`);
    expect(runsOf(part)).toHaveLength(before.length - 2);

    const resumed = cliJson(['sweep', ...MATRIX, '--shard', '0/4', '--jobs', '1', '--db', killed]);
    expect(resumed.ran).toBe(2);
    const pick = (r: Row) => [r.id, r.sweep_cell, r.status, r.state_hash, r.events];
    expect(runsOf(killed).map(pick)).toEqual(before.map(pick));
    const m2 = cli(['merge', killed, '--into', part]);
    expect(m2.stdout).toMatch(/: merged 2 runs \([\d,]+ events\) into sweep 1 of \S+; \d+ runs? already there\n/);
    const byCell = new Map(runsOf(one).map((r) => [r.sweep_cell, r.state_hash]));
    expect(runsOf(part).map((r) => r.state_hash)).toEqual(before.map((r) => byCell.get(r.sweep_cell)));
  });

  it('a run whose log was altered is not merged (its chain does not check): named, exit 1', () => {
    const bad = copyDb(shardDb(1), join(dir, 'tampered.db'), (d) => {
      const run = d.prepare('SELECT min(id) FROM runs').pluck().get();
      d.prepare('UPDATE events SET a = a + 1 WHERE run = ? AND seq = 100').run(run);
    });
    const r = cli(['merge', bad, '--into', join(dir, 'tampered-all.db')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/run \d+ not merged: its record does not check: events row seq 100 of run \d+ differs/);
  });

  it('refused in one line, nothing written: another schema version, another sweep, into a file holding another sweep set', async () => {
    const older = copyDb(shardDb(3), join(dir, 'older.db'), (d) =>
      d.exec('DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)'),
    );
    const other = copyDb(shardDb(3), join(dir, 'other.db'), (d) => d.exec("UPDATE sweeps SET name = 'another study'"));
    const fresh = join(dir, 'never.db');
    const cases: [string[], RegExp][] = [
      [[shardDb(0), older, '--into', fresh], /^memcglab: merge: \S+older\.db has schema version \d+, this memcglab writes \d+;/],
      [
        [shardDb(0), other, '--into', fresh],
        /^memcglab: merge: \S+other\.db holds sweep 1 'another study' \(experiments\/mglru-reparent\.json: policies legacy,same-gen,tail,age-order; seeds 1,2,3\), \S+ holds sweep 1 'mglru-reparent-under-pressure' .* instead; merge the shards of the same sweeps/,
      ],
      [[other, '--into', all], /^memcglab: merge: \S+all\.db holds other sweeps than \S+other\.db: .*; merge into a new file\n$/],
      [[all, '--into', all], /^memcglab: merge: \S+ is the --into database itself/],
      [[join(dir, 'nope.db'), '--into', fresh], /^memcglab: merge: \S+nope\.db does not exist/],
    ];
    const rs = await cliMany(cases.map(([args]) => ({ args: ['merge', ...args] })));
    for (const [i, r] of rs.entries()) oneLine(r, 1, cases[i][1]);
    expect(existsSync(fresh)).toBe(false);
    expect(runsOf(all)).toHaveLength(12);
  });

  it('bad --shard or scheduler environment: one line, exit 1, no database made', async () => {
    const files = () =>
      readdirSync(dir)
        .filter((f) => !/-(wal|shm)$/.test(f))
        .sort();
    const before = files();
    const db = ['--db', join(dir, 'bad.db')];
    const slurm = { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '4' };
    // the CLI path of each kind (every bad value is a unit test: test/lab/shards.test.ts)
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--shard', '4/4', ...db], {}, /^memcglab: --shard 4\/4: shard index 4 is not below the shard count 4/],
      [['--shard', '1/4', '--resume', '1', ...db], {}, /leave out --shard/],
      [db, slurm, /^memcglab: SLURM_ARRAY_TASK_ID=5 .*shard index 4 is not below the shard count 4/],
      [db, { JOB_COMPLETION_INDEX: '0' }, /JOB_COMPLETION_INDEX=0 is set but MEMCGLAB_SHARD_COUNT is not/],
      // the same sweep as another shard in one file: each shard needs its own
      [['--shard', '1/4', '--db', shardDb(0)], {}, /holds sweep 1 as shard 0\/4, not shard 1\/4; give each shard its own database/],
    ];
    const rs = await cliMany(cases.map(([args, env]) => ({ args: ['sweep', ...MATRIX, ...args], env })));
    for (const [i, r] of rs.entries()) oneLine(r, 1, cases[i][2]);
    expect(files()).toEqual(before);
  });
});
