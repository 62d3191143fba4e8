import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { LabError } from '../../errors.js';
import { addDbOption, dbPath } from '../common.js';

/** Default --timeout, seconds. */
const DEFAULT_TIMEOUT_S = 30;

function parseTimeout(v: string | undefined): number {
  if (v === undefined) return DEFAULT_TIMEOUT_S;
  const n = /^\d+(\.\d+)?$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isFinite(n) || n > 86_400 * 365)
    throw new LabError(`--timeout must be a number of seconds ≥ 0 (0: no limit; got '${v.slice(0, 40)}')`);
  return n;
}

/**
 * `query` runs the statement in a child process (query_child.ts) that streams rows straight to
 * our stdout. better-sqlite3 steps a statement synchronously with no way to interrupt it, so the
 * one dependable stop for a runaway query is to kill the process running it: at --timeout the
 * child is killed and the command fails with one line.
 */
export function registerQuery(program: Command): void {
  const cmd = program
    .command('query')
    .description(
      'run one read-only SQL statement (tables: runs, run_tags, sweeps, sweep_tags, events, event_types, event_enums, metric_types, samples, memcgs, ' +
        'cycles, evictions, refaults, splices, snapshots, chain; views: events_v, events_c, samples_delta; ' +
        'questions and their queries: experiments/cookbook.sql)',
    )
    .argument('<sql>', 'one SELECT statement (one starting with a -- comment works too; or put it after --)')
    .option('--json', 'print a JSON array of row objects')
    .option('--csv', 'print CSV')
    .option('--timeout <seconds>', `stop the query after this long (default ${DEFAULT_TIMEOUT_S}; 0: no limit)`);
  addDbOption(cmd).action(async (sql: string, opts) => {
    const timeout = parseTimeout(opts.timeout);
    const db = dbPath(opts);
    const format = opts.json ? 'json' : opts.csv ? 'csv' : 'table';
    const child = spawn(process.execPath, [fileURLToPath(new URL('../query_child.js', import.meta.url))], {
      stdio: ['ignore', 'inherit', 'pipe'],
      env: { ...process.env, MEMCGLAB_QUERY: JSON.stringify({ db, sql, format }) },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s.length + stderr.length < 65_536 ? s : ''));
    let timedOut = false;
    const timer =
      timeout > 0
        ? setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, timeout * 1000)
        : undefined;
    const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    if (timer) clearTimeout(timer);
    if (timedOut)
      throw new LabError(
        `query stopped after ${timeout} s (--timeout ${opts.timeout ?? DEFAULT_TIMEOUT_S}); narrow it (WHERE run = …, LIMIT) or raise --timeout`,
      );
    if (code !== 0) {
      if (/^memcglab: [^\n]*\n$/.test(stderr)) {
        process.stderr.write(stderr); // the child's one line, already escaped
        process.exitCode = code ?? 1;
        return;
      }
      throw new LabError(
        `query failed (${code === null ? 'killed' : `exit ${code}`}): ${stderr.split('\n').find((l) => l.trim()) ?? 'no message'}`,
      );
    }
  });
}
