import { type Command, Option } from 'commander';
import { LabError } from '../errors.js';
import type { Store } from '../store/db.js';

export function defaultDbPath(): string {
  return process.env.MEMCGLAB_DB || './memcglab.db';
}

export function addDbOption(cmd: Command): Command {
  return cmd.addOption(new Option('--db <path>', 'database file (env MEMCGLAB_DB)').default(undefined, defaultDbPath()));
}

export function dbPath(opts: { db?: string }): string {
  const p = opts.db ?? defaultDbPath();
  if (p === '') throw new LabError('--db is empty; give a database file path, e.g. --db ./memcglab.db');
  return p;
}

/**
 * Open the database, run `fn`, close it. The store is loaded on first use, so commands that fail
 * on their arguments (and --help) start fast.
 */
export async function withStore<T>(opts: { db?: string }, readonly: boolean, fn: (store: Store) => T | Promise<T>): Promise<T> {
  const { openStore, closeStore } = await import('../store/db.js');
  const store = openStore(dbPath(opts), { readonly });
  try {
    return await fn(store);
  } finally {
    closeStore(store);
  }
}

const short = (v: string) => (v.length > 40 ? `${v.slice(0, 37)}...` : v);

/** A non-negative integer option (a safe integer: exact in a double). */
export function parseIntArg(name: string, v: string | undefined, min = 0): number | undefined {
  if (v === undefined) return undefined;
  const what = min > 0 ? 'a positive integer' : 'a non-negative integer';
  if (!/^\d+$/.test(v)) throw new LabError(`${name} must be ${what} (got '${short(v)}')`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new LabError(`${name} ${short(v)} is too large (at most ${Number.MAX_SAFE_INTEGER})`);
  if (n < min) throw new LabError(`${name} must be ${what} (got '${short(v)}')`);
  return n;
}

export function parseRunId(v: string): number {
  const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n) || n === 0) {
    throw new LabError(`run id must be a positive integer (got '${short(v)}'); list runs with: memcglab runs`);
  }
  return n;
}

/** A comma-separated list of run ids (compare --runs). */
export function parseRunList(v: string, option = '--runs'): number[] {
  const parts = v.split(',').map((x) => x.trim());
  if (!v.trim() || parts.some((p) => p === ''))
    throw new LabError(`${option} needs comma-separated run ids, e.g. ${option} 1,2 (got '${short(v)}')`);
  return parts.map(parseRunId);
}

export function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}
