/**
 * Issue 10, part 3: many writers on one database. 8 concurrent `run` processes × 3 rounds on one
 * file: every one exits 0 with nothing on stderr (no SQLITE_BUSY / "database is locked"), every
 * run verifies, and a reader (`query`) polling during the writes always sees consistent counts:
 * each run's events are a gap-free prefix 1..n, and a `done` run's row count equals runs.events.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brief, type CliResult, DEFAULT_EXP, pool, runCli, sleep, tempDir } from './util.js';

const dir = tempDir('memcglab-conc-');
const WRITERS = 8;
const ROUNDS = 3;
const SIZE = [
  '--set',
  'workload.cycles=6',
  '--set',
  'workload.accessesPerCycle=150',
  '--set',
  'workload.sharedFilePages=64',
  '--set',
  'snapshotEvery=1500',
];

const CONSISTENCY_SQL = `SELECT r.id, r.status, r.events,
  (SELECT count(*) FROM events e WHERE e.run = r.id) AS n,
  (SELECT coalesce(max(seq), 0) FROM events e WHERE e.run = r.id) AS maxSeq
  FROM runs r ORDER BY r.id`;

describe('concurrent writers on one database', () => {
  const db = join(dir, 'shared.db');
  const finished: number[] = [];

  it(`${WRITERS} writers × ${ROUNDS} rounds: all exit 0, no busy/locked, a concurrent reader sees consistent counts`, async () => {
    const problems: string[] = [];
    const readerViews: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let writing = true;
      const writers = Promise.all(
        Array.from({ length: WRITERS }, (_, w) =>
          runCli(
            [
              'run',
              DEFAULT_EXP,
              ...SIZE,
              '--seed',
              String(100 * round + w),
              '--policy',
              w % 2 ? 'legacy' : 'reparent',
              '--json',
              '--db',
              db,
            ],
            { timeoutMs: 60_000 },
          ),
        ),
      ).finally(() => (writing = false));
      const reader = (async () => {
        await sleep(300); // let the first writer create the schema
        while (writing) {
          const r = await runCli(['query', CONSISTENCY_SQL, '--json', '--db', db], { timeoutMs: 30_000 });
          if (r.code !== 0 || r.stderr) {
            problems.push(`round ${round} reader: ${brief(r)}`);
            continue;
          }
          readerViews.push(round);
          await sleep(150);
          for (const row of JSON.parse(r.stdout) as { id: number; status: string; events: number; n: number; maxSeq: number }[]) {
            if (row.n !== row.maxSeq)
              problems.push(`round ${round} reader: run ${row.id} has ${row.n} rows but max seq ${row.maxSeq} (a gap)`);
            if (row.status === 'done' && row.n !== row.events)
              problems.push(`round ${round} reader: done run ${row.id} has ${row.n} rows, runs.events says ${row.events}`);
          }
        }
      })();
      const results: CliResult[] = await writers;
      await reader;
      results.forEach((r, w) => {
        if (r.code !== 0 || r.stderr !== '') problems.push(`round ${round} writer ${w}: ${brief(r)}`);
        else finished.push(JSON.parse(r.stdout).id);
        if (/busy|locked/i.test(r.stderr)) problems.push(`round ${round} writer ${w}: busy/locked`);
      });
    }
    expect(problems, problems.join('\n')).toEqual([]);
    expect(finished.length).toBe(WRITERS * ROUNDS);
    expect(readerViews.length, 'the reader never got a view during the writes').toBeGreaterThan(0);
  });

  it('every run verifies and runs lists them all as done', async () => {
    const list = await runCli(['runs', '--json', '--db', db]);
    expect(list.code, brief(list)).toBe(0);
    const rows = JSON.parse(list.stdout) as { id: number; status: string }[];
    expect(rows.length).toBe(WRITERS * ROUNDS);
    expect(
      rows.filter((r) => r.status !== 'done'),
      'runs not done',
    ).toEqual([]);
    const bad = (
      await pool(rows, 3, async (r) => ({ id: r.id, res: await runCli(['verify', String(r.id), '--check-every', '1000', '--db', db]) }))
    ).filter((v) => v.res.code !== 0);
    expect(bad.map((b) => `run ${b.id}: ${brief(b.res)}`)).toEqual([]);
  });
});
