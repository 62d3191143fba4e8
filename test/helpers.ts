import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { E, type Event } from '../src/kernel/events.js';
import { evolve } from '../src/kernel/evolve.js';
import { lruvecOf } from '../src/kernel/node.js';
import { createState, type KernelState } from '../src/kernel/state.js';
import { Simulation } from '../src/lab/simulation.js';
import { getPolicy, type Policy } from '../src/policy/policies.js';
import type { ConcurrencyOptions } from '../src/policy/tasks.js';
import type { Store } from '../src/store/db.js';
import { truncateRunAfter } from '../src/store/truncate.js';

export const ROOT = resolve(__dirname, '..');
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

/** A fresh temp folder, removed after the file's tests. */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'memcglab-test-'));
  afterAll(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run the built CLI as a child process, as a user would. One core per command (MEMCGLAB_JOBS=1,
 * unless the test sets it or passes --jobs): the suite already keeps every core busy, where a
 * writer thread per run only adds CPU. The default, pipelined path is what test/reliability (its
 * own runCli), pipeline.test.ts and the sweep tests run.
 */
export function cli(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { MEMCGLAB_JOBS: '1', ...process.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function cliJson<T = any>(args: string[]): T {
  const r = cli([...args, '--json']);
  if (r.code !== 0) throw new Error(`memcglab ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** How many events of one type (by name) a run logged, asked through the CLI's query as a user would. */
export function countEvents(db: string, run: number, name: string): number {
  const sql = `SELECT count(*) AS n FROM events e JOIN event_types t ON t.code = e.type WHERE run = ${run} AND t.name = '${name}'`;
  return cliJson<{ n: number }[]>(['query', sql, '--db', db])[0].n;
}

/**
 * A decider context over an in-memory state that checks every invariant after every event —
 * the harness for unit and property tests of the deciders. It is the runner's Simulation with
 * the log kept in memory, plus a check that MGLRU seqs never go back.
 */
export class TestCtx extends Simulation {
  readonly log: Event[];
  private readonly lastSeqs = new Map<number, number[]>();

  constructor(
    policy: Policy = getPolicy('reparent'),
    private readonly check = true,
    seed = 1,
    concurrency?: ConcurrencyOptions,
  ) {
    const log: Event[] = [];
    super(policy, seed, (e) => log.push(e), { checkInvariants: check, concurrency });
    this.log = log;
  }

  override emit(e: Event): void {
    super.emit(e);
    if (this.check) this.checkSeqsMonotonic(e);
  }

  /** MGLRU seqs never decrease (invariant 3), checked against the previous event's values, on every node. */
  private checkSeqsMonotonic(e: Event): void {
    for (const m of this.s.memcgs.values()) {
      for (let nid = 0; nid < this.s.nodes.length; nid++) {
        const g = lruvecOf(m, nid).lrugen;
        const now = [g.maxSeq, g.minSeq[0], g.minSeq[1]];
        const key = m.id * 1024 + nid;
        const before = this.lastSeqs.get(key);
        if (before && now.some((v, k) => v < before[k]))
          throw new Error(`after seq ${e.seq}: ${m.path} node ${nid} seqs went back ${before} → ${now}`);
        this.lastSeqs.set(key, now);
      }
    }
  }
}

/** Apply raw events to a fresh state, stamping seq/tick. */
export function applyAll(events: Event[], s = createState()): KernelState {
  for (const e of events) {
    e.seq = s.seq + 1;
    e.tick = Math.max(e.tick, s.tick);
    evolve(s, e);
  }
  return s;
}

export { E };

/** sha256 over a run's event rows in seq order, and their count (a database file, opened read-only). */
export function eventDigest(db: string, run: number): { n: number; sha: string } {
  const d = new Database(db, { readonly: true });
  try {
    const h = createHash('sha256');
    let n = 0;
    for (const r of d
      .prepare('SELECT seq, tick, type, memcg, folio, a, b, data FROM events WHERE run = ? ORDER BY seq')
      .raw(true)
      .iterate(run)) {
      h.update(JSON.stringify(r));
      n++;
    }
    return { n, sha: h.digest('hex') };
  } finally {
    d.close();
  }
}

/**
 * Make a finished run look killed mid-way: its log ends `past` events after its snapshot number
 * `nth` (0-based), its status is running and its writer a pid that does not exist.
 */
export function cutAfterSnapshot(st: Store, run: number, nth: number, past: number): void {
  const snapSeq = st.sqlite
    .prepare(`SELECT seq FROM snapshots WHERE run = ? ORDER BY seq LIMIT 1 OFFSET ${nth}`)
    .pluck()
    .get(run) as number;
  truncateRunAfter(st, run, snapSeq + past);
  st.sqlite.prepare("UPDATE runs SET status = 'running', pid = 2147483646, state_hash = NULL, metrics = NULL WHERE id = ?").run(run);
}
