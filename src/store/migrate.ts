import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';

/** The repo's migrations folder, found from this module whether it runs from src/ or dist/. */
export function migrationsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'migrations', 'meta', '_journal.json'))) return join(dir, 'migrations');
    dir = dirname(dir);
  }
  throw new Error('cannot find the migrations folder next to memcglab');
}

export function knownMigrations(): number {
  const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8'));
  return journal.entries.length as number;
}

export function appliedMigrations(sqlite: Database.Database): number {
  const t = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type='table' AND name='__drizzle_migrations'`).get();
  if (!t) return 0;
  return sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get() as number;
}

/**
 * Apply drizzle-kit's migrations the way drizzle's migrator does (same bookkeeping table and
 * rows), but inside one BEGIN IMMEDIATE transaction that re-reads what is applied after taking
 * the write lock: writers opening a new database at the same moment apply each migration once.
 */
export function migrateDatabase(sqlite: Database.Database): void {
  const migrations = readMigrationFiles({ migrationsFolder: migrationsFolder() });
  const tx = sqlite.transaction(() => {
    sqlite.exec('CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)');
    const last = sqlite.prepare('SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1').pluck().get() as
      | number
      | string
      | undefined;
    const ins = sqlite.prepare('INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (?, ?)');
    for (const m of migrations) {
      if (last !== undefined && Number(last) >= m.folderMillis) continue;
      for (const stmt of m.sql) if (stmt.trim()) sqlite.exec(stmt);
      ins.run(m.hash, m.folderMillis);
    }
  });
  tx.immediate();
}
