/**
 * Issue 14: a pipelined run (`--jobs 2`: the log written on a second thread) writes the same
 * database as the one-thread run (`--jobs 1`), row for row in every table a run writes, and the
 * same when it is resumed; a sweep's runs are the same whatever `--jobs`.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { planJobs } from '../../src/lab/jobs.js';
import { cli, cliJson, eventDigest, ROOT, tempDir } from '../helpers.js';

const EXP = join(ROOT, 'experiments', 'mglru-reparent.json');
// evictions, refaults, splices, samples and several snapshots and chain rows in ~90k events
const SETS = ['--set', 'workload.cycles=20', '--set', 'snapshotEvery=20000'];
// columns that say when and by whom a run was written, not what it holds
const WALL = new Set(['started_at', 'finished_at', 'heartbeat', 'pid', 'host', 'boot_id', 'holder_start', 'lease_ms']);

/** Every row of every table a run writes, wall-clock columns left out, in a fixed order. */
function contents(db: string): Record<string, unknown[]> {
  const d = new Database(db, { readonly: true });
  try {
    const tables = d
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    const out: Record<string, unknown[]> = {};
    for (const t of tables) {
      const cols = (d.prepare(`SELECT name FROM pragma_table_info('${t}')`).pluck().all() as string[]).filter((c) => !WALL.has(c));
      const list = cols.map((c) => `"${c}"`).join(', ');
      out[t] = d.prepare(`SELECT ${list} FROM "${t}" ORDER BY ${list}`).raw().all();
    }
    return out;
  } finally {
    d.close();
  }
}

describe('pipelined runs', () => {
  const dir = tempDir();

  it('--jobs 2 writes the same rows as --jobs 1 in every table', () => {
    const one = join(dir, 'one.db');
    const two = join(dir, 'two.db');
    const a = cliJson<{ events: number; stateHash: string }>(['run', EXP, ...SETS, '--jobs', '1', '--json', '--db', one]);
    const b = cliJson<{ events: number; stateHash: string }>(['run', EXP, ...SETS, '--jobs', '2', '--json', '--db', two]);
    expect(b.stateHash).toBe(a.stateHash);
    const ca = contents(one);
    const cb = contents(two);
    for (const t of ['events', 'evictions', 'refaults', 'splices', 'samples', 'snapshots', 'chain']) {
      expect(ca[t].length, `${t} has rows`).toBeGreaterThan(0);
    }
    expect(ca.snapshots.length).toBeGreaterThan(2);
    for (const t of Object.keys(ca)) expect(cb[t], t).toEqual(ca[t]);
    expect(cliJson(['verify', '1', '--check-every', '1000000', '--db', two]).ok).toBe(true);
  });

  it('a pipelined resume after losing the tail of the log ends as the uninterrupted run', () => {
    const db = join(dir, 'cut.db');
    const whole = cliJson<{ events: number; stateHash: string }>(['run', EXP, ...SETS, '--jobs', '2', '--json', '--db', db]);
    const before = eventDigest(db, 1);
    // what a crash after the second snapshot leaves: the run interrupted, the log and everything after it gone
    const d = new Database(db);
    const seq = d.prepare('SELECT seq FROM snapshots WHERE run = 1 ORDER BY seq LIMIT 1 OFFSET 1').pluck().get() as number;
    for (const t of ['events', 'snapshots', 'chain', 'samples', 'evictions', 'refaults', 'splices', 'cycles']) {
      d.prepare(`DELETE FROM ${t} WHERE run = 1 AND seq > ?`).run(seq);
    }
    d.prepare("UPDATE runs SET status = 'interrupted', pid = NULL, heartbeat = NULL WHERE id = 1").run();
    d.close();
    const r = cliJson<{ events: number; stateHash: string }>(['resume', '1', '--jobs', '2', '--json', '--db', db]);
    expect(r.stateHash).toBe(whole.stateHash);
    expect(eventDigest(db, 1)).toEqual(before);
  });

  it('--jobs takes a positive integer', () => {
    const r = cli(['run', EXP, ...SETS, '--jobs', '0', '--db', join(dir, 'bad.db')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual(['memcglab: --jobs must be at least 1']);
  });
});

describe('planJobs', () => {
  it('one core: one worker, one thread; two cores per pipelined worker beyond that', () => {
    expect(planJobs(1)).toEqual({ workers: 1, pipeline: false });
    expect(planJobs(2)).toEqual({ workers: 1, pipeline: true });
    expect(planJobs(3)).toEqual({ workers: 1, pipeline: true });
    expect(planJobs(8)).toEqual({ workers: 4, pipeline: true });
    expect(planJobs(8, 3)).toEqual({ workers: 3, pipeline: true });
  });
});
