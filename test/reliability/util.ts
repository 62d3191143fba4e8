/**
 * Shared helpers for the reliability suite (issue 10, "Trust the record").
 *
 * Everything here talks to the BUILT CLI (`dist/src/cli/main.js`) as a child process, or to the
 * SQLite file directly with better-sqlite3; nothing imports `src/`, so the suite keeps working
 * while the implementation is refactored underneath it.
 */

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect } from 'vitest';
import { MAX_LISTED_ERRORS } from '../../src/lab/experiment_errors.js';

export const ROOT = resolve(__dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
export const DEFAULT_EXP = join(ROOT, 'experiments', 'default.json');

/** The small experiment most files use: ~11.5k events, well under a second. */
export const SMALL = ['--set', 'workload.cycles=15', '--set', 'workload.accessesPerCycle=200'];
/** Tiny: a couple of thousand events. */
export const TINY = ['--set', 'workload.cycles=4', '--set', 'workload.accessesPerCycle=50', '--set', 'workload.sharedFilePages=32'];

/** A fresh temp folder, removed after the file's tests. */
export function tempDir(prefix = 'memcglab-rel-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** killed by us after `timeoutMs` */
  timedOut: boolean;
}

export interface CliOpts {
  env?: Record<string, string>;
  cwd?: string;
  /** kill (SIGKILL) after this many ms and report timedOut; default 15 s */
  timeoutMs?: number;
  stdin?: string;
}

/** Run the built CLI asynchronously (so several can run at once). Never rejects. */
export function runCli(args: string[], o: CliOpts = {}): Promise<CliResult> {
  const t0 = Date.now();
  return new Promise((res) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: o.cwd ?? ROOT,
      env: { ...process.env, MEMCGLAB_DB: '', ...o.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    child.stdout.on('data', (b: Buffer) => {
      outLen += b.length;
      if (outLen < 64 * 1024 * 1024) out.push(b); // keep memory bounded on huge outputs
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => {});
    child.stdin.end(o.stdin ?? '');
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs ?? 15_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      res({
        code,
        signal,
        timedOut,
        ms: Date.now() - t0,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** Run the CLI and parse `--json` stdout; throws with stderr on failure. */
export async function cliJson<T = any>(args: string[], o: CliOpts = {}): Promise<T> {
  const r = await runCli([...args, '--json'], o);
  if (r.code !== 0) throw new Error(`memcglab ${args.join(' ')} failed (${r.code ?? r.signal}): ${r.stderr.slice(0, 2000)}`);
  return JSON.parse(r.stdout) as T;
}

/** Map over items with at most `n` in flight. */
export async function pool<T, R>(items: readonly T[], n: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * sha256 of the database bytes plus its -wal (when present and non-empty): "the database did
 * not change". A missing file digests as 'absent'. (-shm is an index, not data.)
 */
export function dbDigest(path: string): string {
  if (!existsSync(path)) return 'absent';
  const h = createHash('sha256').update(readFileSync(path));
  const wal = `${path}-wal`;
  if (existsSync(wal)) {
    const w = readFileSync(wal);
    if (w.length) h.update('|wal|').update(w);
  }
  return h.digest('hex');
}

/** Copy a database file (and its -wal if any) to `to`. */
export function copyDb(from: string, to: string): void {
  copyFileSync(from, to);
  for (const ext of ['-wal', '-shm']) {
    rmSync(to + ext, { force: true });
    if (existsSync(from + ext)) copyFileSync(from + ext, to + ext);
  }
}

/** Fold the WAL into the main file so a plain file copy is the whole database. */
export function checkpoint(path: string): void {
  const d = new Database(path);
  try {
    d.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    d.close();
  }
}

/** Open read-only with better-sqlite3 and run fn. */
export function withDb<T>(path: string, fn: (d: Database.Database) => T, readonly = true): T {
  const d = new Database(path, { readonly, fileMustExist: true });
  try {
    return fn(d);
  } finally {
    d.close();
  }
}

export { eventDigest } from '../helpers.js';

/**
 * A C0/C1 control character other than newline (and tab when `allowTab`): raw terminal escapes,
 * BEL, CR. Written with code points so the linter's no-control-characters rule stays on elsewhere.
 */
export function hasControl(s: string, allowTab = false): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0x0a || (allowTab && c === 0x09)) continue;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

/** A stack frame as V8 prints it. */
export const STACK_FRAME = /^\s{2,}at .+/m;

/** Describe a result in one line for failure messages and reports. */
export function brief(r: CliResult): string {
  const first = r.stderr.split('\n').find((l) => l.trim()) ?? '';
  const how = r.timedOut ? `TIMEOUT after ${r.ms} ms` : r.signal ? `signal ${r.signal}` : `exit ${r.code}`;
  const lines = r.stderr.replace(/\n$/, '').split('\n').length;
  return `${how}; stderr ${r.stderr ? `${lines} line(s)` : 'empty'}${STACK_FRAME.test(r.stderr) ? ' WITH STACK' : ''}: ${JSON.stringify(first.slice(0, 200))}`;
}

/**
 * The shape of every error on stderr: ONE line `memcglab: …`, or (an experiment with several
 * errors) a header `memcglab: <file>: N errors in the experiment:` then one `memcglab:` line per
 * error, at most MAX_LISTED_ERRORS of them and a last line counting the rest. Each line free of
 * control characters. Returns the problem, or undefined when the shape holds.
 */
export function errorShapeProblem(stderr: string): string | undefined {
  if (!stderr.endsWith('\n')) return 'stderr does not end with a newline';
  const lines = stderr.slice(0, -1).split('\n');
  if (lines.some((l) => !/^memcglab: \S/.test(l))) return 'a stderr line does not start `memcglab: `';
  if (hasControl(stderr)) return 'control character in the error line (escape it)';
  if (lines.length === 1) return undefined;
  const n = /: (\d+) errors in the experiment:$/.exec(lines[0]);
  if (!n) return `${lines.length} lines, and the first is not a header "N errors in the experiment:"`;
  const want = Math.min(Number(n[1]), MAX_LISTED_ERRORS + 1) + 1;
  return lines.length === want ? undefined : `header says ${n[1]} errors: expected ${want} lines, got ${lines.length}`;
}

/** The contract for several errors in one experiment: the shape above, `count` of them, exit 1, no stack. */
export function expectErrorLines(r: CliResult, count: number): string[] {
  const ctx = brief(r);
  expect(r.timedOut, `did not finish: ${ctx}`).toBe(false);
  expect(STACK_FRAME.test(r.stderr), `stack trace on stderr: ${ctx}`).toBe(false);
  expect(r.code, `exit code: ${ctx}`).toBe(1);
  expect(errorShapeProblem(r.stderr), r.stderr).toBeUndefined();
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(new RegExp(`: ${count} errors in the experiment:$`));
  return lines.slice(1);
}

/**
 * The contract for every refused input: exactly one non-empty stderr line starting `memcglab:`,
 * no stack frame, the expected exit code, and (optionally) a fragment the line must contain.
 */
export function expectOneLineError(r: CliResult, fragment: RegExp | undefined, code: number | 'nonzero' = 1): void {
  const ctx = brief(r);
  expect(r.timedOut, `did not finish: ${ctx}`).toBe(false);
  expect(STACK_FRAME.test(r.stderr), `stack trace on stderr: ${ctx}`).toBe(false);
  if (code === 'nonzero') expect(r.code !== 0 && r.code !== null, `exit code: ${ctx}`).toBe(true);
  else expect(r.code, `exit code: ${ctx}`).toBe(code);
  expect(r.stderr.endsWith('\n') && r.stderr.indexOf('\n') === r.stderr.length - 1, `stderr not exactly one line: ${ctx}`).toBe(true);
  expect(r.stderr, `stderr must start with 'memcglab: ': ${ctx}`).toMatch(/^memcglab: \S/);
  expect(hasControl(r.stderr), `control character in the error line (escape it): ${ctx}`).toBe(false);
  if (fragment) expect(r.stderr, `stderr fragment ${fragment}: ${ctx}`).toMatch(fragment);
}

/** Run a small experiment into `db` and return its run --json. */
export async function makeRun(
  db: string,
  extra: string[] = SMALL,
  o: CliOpts = {},
): Promise<{ id: number; events: number; stateHash: string }> {
  return cliJson(['run', DEFAULT_EXP, ...extra, '--db', db], o);
}

/**
 * Start a run, wait until its `runs` row exists (and optionally until `minEvents` rows exist),
 * then SIGKILL it after `delayMs`. Resolves when it is dead. Returns whether it finished first.
 */
export async function killMidway(
  args: string[],
  db: string,
  delayMs: number,
  o: { minEvents?: number; env?: Record<string, string>; run?: number } = {},
): Promise<{ finished: boolean; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, MEMCGLAB_DB: '', ...o.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  let done: number | null | undefined;
  void exited.then((c) => (done = c));
  const t0 = Date.now();
  const run = o.run ?? 1;
  while (done === undefined) {
    if (Date.now() - t0 > 20_000) break;
    const n = countEvents(db, run, !o.minEvents);
    if (n !== undefined && n >= (o.minEvents ?? 0)) break;
    await sleep(10);
  }
  if (done === undefined && delayMs > 0) await sleep(delayMs);
  if (done === undefined) child.kill('SIGKILL');
  const code = await exited;
  return { finished: code === 0, stderr };
}

/** Events stored for a run, or undefined when the db/run row is not there yet. */
export function countEvents(db: string, run: number, rowOnly = false): number | undefined {
  if (!existsSync(db)) return undefined;
  try {
    return withDb(db, (d) => {
      const row = d.prepare('SELECT id FROM runs WHERE id = ?').get(run);
      if (!row) return undefined;
      if (rowOnly) return 0;
      return d.prepare('SELECT coalesce(max(seq), 0) FROM events WHERE run = ?').pluck().get(run) as number;
    });
  } catch {
    return undefined; // not created or not migrated yet, or busy
  }
}

/** Whether a command can be run (e.g. mount) — used to skip with a printed reason. */
export function skipNote(file: string, reason: string): void {
  process.stdout.write(`[reliability/${file}] SKIPPED: ${reason}\n`);
}

/** A counting semaphore: at most `n` callers inside `run` at once (spawns share the 2 cores). */
export function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
