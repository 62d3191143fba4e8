import { Option, type Command } from 'commander';
import { LabError } from '../errors.js';
import { closeStore, defaultDbPath, openStore, type Store } from '../store/db.js';

export function addDbOption(cmd: Command): Command {
  return cmd.addOption(new Option('--db <path>', 'database file (env MEMCGLAB_DB)').default(undefined, defaultDbPath()));
}

export function dbPath(opts: { db?: string }): string {
  return opts.db ?? defaultDbPath();
}

export function withStore<T>(opts: { db?: string }, readonly: boolean, fn: (store: Store) => T): T {
  const store = openStore(dbPath(opts), { readonly });
  try {
    return fn(store);
  } finally {
    closeStore(store);
  }
}

export function parseIntArg(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new LabError(`${name} must be a non-negative integer (got '${v}')`);
  return Number(v);
}

export function parseRunId(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) === 0) throw new LabError(`run id must be a positive integer (got '${v}'); list runs with: memcglab runs`);
  return Number(v);
}

export function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}
