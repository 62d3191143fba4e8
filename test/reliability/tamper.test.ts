/**
 * Issue 10, part 1: `verify` must catch ANY single-value edit to a finished run's record.
 *
 * One small run (15 cycles × 200 accesses, snapshots every 3000 events) is copied once per case;
 * each case edits ONE value in ONE row (the middle row of that run with a non-null value in the
 * column) with better-sqlite3, type-preserving: integer +1, real +0.5, hex hash one digit flipped,
 * JSON text changed validly (first number +1, else first string + 'x'), other text + 'x', blob one
 * byte flipped. A primary-key edit that would collide moves the row past the end instead.
 *
 * Cases come from the schema (`PRAGMA table_info`): `runs` and every table with a `run` column,
 * so a new column or per-run table is covered without touching this file. Global catalogue
 * tables (event_types, meta, migrations) are not per-run records and are not edited here.
 *
 * Each case runs `verify <run> --check-every 1000000`: detection must come from the hash chain
 * and the rebuilt projections, not from invariant checks (a forged history can keep every
 * invariant), and it is ~3× cheaper. It must exit 1, print no stack, and name the table and the
 * row: the seq (events, samples, snapshots), the memcg id (memcgs) or the column (runs, one row).
 *
 * Columns that are wall-clock or liveness bookkeeping (never read by the core) are EXEMPT from
 * detection: started_at, finished_at, pid and lease/heartbeat columns; so are the user's labels
 * beside the record (runs.note, run_tags: outside the chain by design). For them verify must only
 * not crash.
 */

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { brief, checkpoint, copyDb, limiter, makeRun, runCli, SMALL, STACK_FRAME, tempDir, withDb } from './util.js';

const dir = tempDir('memcglab-tamper-');
const clean = join(dir, 'clean.db');
const limit = limiter(3);
const RUN = 1;
const EXEMPT = /^(started_at|finished_at|pid|lease.*|heartbeat.*|host.*|boot.*|holder.*|note)$/;
const GLOBAL_TABLES = new Set(['event_types', 'meta', '__drizzle_migrations']);

interface Col {
  name: string;
  type: string;
  pk: number;
  notnull: number;
}
interface Case {
  table: string;
  column: string;
  type: string;
  key: Record<string, unknown>;
  keyLabel: string;
  exempt: boolean;
}

/** Build the case list from the schema of the clean database. */
function discover(db: string): Case[] {
  return withDb(db, (d) => {
    const tables = (
      d.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]
    ).filter((t) => !GLOBAL_TABLES.has(t));
    const cases: Case[] = [];
    for (const table of tables) {
      const cols = d.prepare(`PRAGMA table_info("${table}")`).all() as Col[];
      const isRuns = table === 'runs';
      if (!isRuns && !cols.some((c) => c.name === 'run')) continue;
      const pk = cols
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      const where = isRuns ? 'id = ?' : 'run = ?';
      for (const c of cols) {
        const n = d.prepare(`SELECT count(*) FROM "${table}" WHERE ${where} AND "${c.name}" IS NOT NULL`).pluck().get(RUN) as number;
        const anyRow = n === 0; // all null: edit the middle row anyway (null → a value)
        const total = anyRow ? (d.prepare(`SELECT count(*) FROM "${table}" WHERE ${where}`).pluck().get(RUN) as number) : n;
        const row = d
          .prepare(
            `SELECT ${pk.map((k) => `"${k}"`).join(', ')} FROM "${table}" WHERE ${where} ${anyRow ? '' : `AND "${c.name}" IS NOT NULL`} ORDER BY ${pk.map((k) => `"${k}"`).join(', ')} LIMIT 1 OFFSET ?`,
          )
          .get(RUN, Math.floor(total / 2)) as Record<string, unknown> | undefined;
        if (!row) continue;
        const keyLabel = isRuns ? c.name : 'seq' in row ? String(row.seq) : 'id' in row ? String(row.id) : JSON.stringify(row);
        cases.push({ table, column: c.name, type: c.type.toUpperCase(), key: row, keyLabel, exempt: EXEMPT.test(c.name) });
      }
    }
    return cases;
  });
}

/** Change a JSON value validly: first number + 1, else first string + 'x', else add a key. */
function mutateJson(v: unknown): unknown {
  let done = false;
  const walk = (x: unknown, want: 'number' | 'string'): unknown => {
    if (done) return x;
    if (typeof x === want) {
      done = true;
      return want === 'number' ? (x as number) + 1 : `${x as string}x`;
    }
    if (Array.isArray(x)) return x.map((e) => walk(e, want));
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, e]) => [k, walk(e, want)]));
    return x;
  };
  let out = walk(v, 'number');
  if (!done) out = walk(v, 'string');
  if (!done) out = Array.isArray(v) ? [...v, 0] : typeof v === 'object' && v ? { ...v, tampered: true } : v === null ? 0 : v;
  return out;
}

function newValue(old: unknown, type: string): unknown {
  if (old === null || old === undefined)
    return type.includes('INT') ? 0 : type.includes('REAL') ? 0.5 : type.includes('BLOB') ? Buffer.from([1]) : 'x';
  if (typeof old === 'bigint') return old + 1n;
  if (typeof old === 'number') return Number.isInteger(old) && !type.includes('REAL') ? old + 1 : old + 0.5;
  if (Buffer.isBuffer(old)) {
    const b = Buffer.from(old);
    b[b.length >> 1] ^= 0x01;
    return b;
  }
  const s = String(old);
  if (/^[0-9a-f]{16,}$/.test(s)) return s.slice(0, -1) + (s.endsWith('0') ? '1' : '0');
  if (/^[[{]/.test(s)) {
    try {
      return JSON.stringify(mutateJson(JSON.parse(s)));
    } catch {
      /* not JSON after all */
    }
  }
  return `${s}x`;
}

/** Apply the one edit; returns a description. */
function tamper(db: string, c: Case): string {
  const d = new Database(db);
  try {
    const keyCols = Object.keys(c.key);
    const where = keyCols.map((k) => `"${k}" = ?`).join(' AND ');
    const keyVals = keyCols.map((k) => c.key[k]);
    const old = d
      .prepare(`SELECT "${c.column}" FROM "${c.table}" WHERE ${where}`)
      .pluck()
      .get(...keyVals);
    let value = newValue(old, c.type);
    const upd = d.prepare(`UPDATE "${c.table}" SET "${c.column}" = ? WHERE ${where}`);
    let info: Database.RunResult;
    try {
      info = upd.run(value, ...keyVals);
    } catch (e) {
      if (!/UNIQUE|PRIMARY KEY|constraint/i.test((e as Error).message)) throw e;
      // a key edit that collides: move the row past the end instead
      value = (d.prepare(`SELECT max("${c.column}") FROM "${c.table}"`).pluck().get() as number) + 1000;
      info = upd.run(value, ...keyVals);
    }
    if (info.changes !== 1) throw new Error(`tamper ${c.table}.${c.column}: ${info.changes} rows changed`);
    d.pragma('wal_checkpoint(TRUNCATE)');
    const show = (v: unknown) => (Buffer.isBuffer(v) ? `<blob ${v.length}>` : JSON.stringify(v)?.slice(0, 60));
    return `${c.table}.${c.column} @ ${JSON.stringify(c.key)}: ${show(old)} → ${show(value)}`;
  } finally {
    d.close();
  }
}

// Discovered at collection time (top-level await), so each case is its own named test.
await makeRun(clean, [...SMALL, '--set', 'snapshotEvery=3000']);
checkpoint(clean);
const cases: Case[] = discover(clean);

describe('verify catches every single-value edit', () => {
  it('the untouched copy verifies ok (default verify, every invariant)', async () => {
    const db = join(dir, 'untouched.db');
    copyDb(clean, db);
    const r = await limit(() => runCli(['verify', String(RUN), '--db', db]));
    expect(r.code, brief(r)).toBe(0);
    expect(r.stdout).toMatch(/\bok\b/);
  });

  it('the schema gives cases for every per-run table', () => {
    const tables = new Set(cases.map((c) => c.table));
    for (const t of ['runs', 'events', 'snapshots', 'samples', 'memcgs']) expect(tables.has(t), t).toBe(true);
    for (const c of ['tick', 'type', 'memcg', 'folio', 'a', 'b', 'data', 'seq', 'run'])
      expect(
        cases.some((x) => x.table === 'events' && x.column === c),
        `events.${c}`,
      ).toBe(true);
  });

  describe.concurrent('one edit', () => {
    cases.forEach((c, i) => {
      it(`${c.table}.${c.column}${c.exempt ? ' (exempt: must not crash)' : ''}`, async () => {
        const db = join(dir, `t${i}.db`);
        copyDb(clean, db);
        const what = tamper(db, c);
        // a runs.id edit leaves run 1 missing; verifying the renamed run must fail
        const runArg = c.table === 'runs' && c.column === 'id' ? String(RUN + 1) : String(RUN);
        const r = await limit(() => runCli(['verify', runArg, '--check-every', '1000000', '--db', db], { timeoutMs: 20_000 }));
        const out = r.stdout + r.stderr;
        const ctxMsg = `${what}\n  verify: ${brief(r)}\n  stdout: ${JSON.stringify(r.stdout.slice(0, 300))}`;
        expect(r.timedOut, ctxMsg).toBe(false);
        expect(STACK_FRAME.test(r.stderr), `stack trace: ${ctxMsg}`).toBe(false);
        if (c.exempt) {
          expect([0, 1], ctxMsg).toContain(r.code);
          return;
        }
        expect(r.code, `not detected: ${ctxMsg}`).toBe(1);
        expect(out, `does not name the table: ${ctxMsg}`).toMatch(new RegExp(`\\b${c.table}\\b`, 'i'));
        if (c.table === 'runs') {
          if (c.column !== 'id') {
            const camel = c.column.replace(/_(\w)/g, (_, x: string) => x.toUpperCase());
            expect(out, `does not name the column: ${ctxMsg}`).toMatch(new RegExp(`\\b(${c.column}|${camel})\\b`, 'i'));
          }
        } else {
          expect(out, `does not name the row (${c.keyLabel}): ${ctxMsg}`).toMatch(new RegExp(`\\b${c.keyLabel}\\b`));
        }
      });
    });
  });
});
