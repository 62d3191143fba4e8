import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { EventHasher } from '../lab/chain.js';
import { EventAppender, ROWS_PER_INSERT } from '../store/appender.js';
import { closeStore, openStore, type Store } from '../store/db.js';
import { recording } from './fixture.js';
import { bestOf } from './timing.js';
import { atLeast, type BenchContext, type BenchResult, round } from './types.js';

const COLS = 9;
const HEAD = 'INSERT INTO events (run, seq, tick, type, memcg, folio, a, b, data) VALUES ';
const ROW = `(${new Array(COLS).fill('?').join(',')})`;

/**
 * append: EventAppender on the event mix of a real run vs the raw ceiling — a better-sqlite3
 * multi-row prepared INSERT of the same rows, already flattened, into the same table layout
 * (a database made by the same migrations). Each iteration writes the whole run in one
 * transaction under a fresh run id.
 */
export function benchAppend(ctx: BenchContext): BenchResult[] {
  const rec = recording(ctx);
  const events = rec.events;
  const n = events.length;

  const appStore = openStore(join(ctx.dir, 'append-appender.db'));
  const rawStore = openStore(join(ctx.dir, 'append-raw.db'));
  try {
    const rawInsert = rawInserter(rawStore, events);
    let appRun = 0;
    const rawArray = () => rawInsert(false);
    const rawSpread = () => rawInsert(true);
    const appenderInsert = () => {
      const app = new EventAppender(appStore, ++appRun);
      app.begin();
      for (let i = 0; i < n; i++) app.append(events[i]);
      app.commit();
    };
    // What a run's writer does per event since issue 10: append, and hash into the chain.
    const chainedInsert = () => {
      const app = new EventAppender(appStore, ++appRun);
      const chain = new EventHasher();
      app.begin();
      for (let i = 0; i < n; i++) {
        app.append(events[i]);
        chain.add(events[i]);
      }
      chain.segment();
      app.commit();
    };

    ctx.log(`append: ${n} events × ${ctx.quick ? 3 : 5} rounds, appender vs raw INSERT (array and spread)`);
    const t = bestOf(
      [
        { name: 'raw-array', fn: rawArray },
        { name: 'raw-spread', fn: rawSpread },
        { name: 'appender', fn: appenderInsert },
        { name: 'appender+chain', fn: chainedInsert },
      ],
      ctx.quick ? 3 : 5,
    );
    check(rawStore.sqlite, rawInsert.run, n);
    check(appStore.sqlite, appRun, n);

    const rawMs = Math.min(t.get('raw-array')!, t.get('raw-spread')!);
    const rawRate = n / (rawMs / 1000);
    const appRate = n / (t.get('appender')! / 1000);
    const ratio = round(appRate / rawRate);
    const chainRate = n / (t.get('appender+chain')! / 1000);
    const chainRatio = round(chainRate / rawRate);
    return [
      {
        name: 'append',
        value: Math.round(appRate),
        unit: 'events/s',
        baseline: Math.round(rawRate),
        ratio,
        ...atLeast(ratio, 0.8),
        note:
          `EventAppender vs raw multi-row (${ROWS_PER_INSERT} rows) prepared INSERT of the same ${n} pre-flattened rows, one transaction each, ` +
          `best of interleaved tinybench rounds; raw with an array argument ${Math.round(n / (t.get('raw-array')! / 1000))}/s, ` +
          `spread arguments ${Math.round(n / (t.get('raw-spread')! / 1000))}/s (baseline: the faster)`,
      },
      {
        name: 'append+chain',
        value: Math.round(chainRate),
        unit: 'events/s',
        baseline: Math.round(rawRate),
        ratio: chainRatio,
        ...atLeast(chainRatio, 0.8),
        note:
          `EventAppender plus the hash chain's per-event work (EventHasher: every column into SHA-256, ${Math.round(chainRate)}/s vs the appender alone ` +
          `${Math.round(appRate)}/s: the chain costs ${round((1 - chainRate / appRate) * 100, 1)}% of append) vs the same raw baseline`,
      },
    ];
  } finally {
    closeStore(appStore);
    closeStore(rawStore);
  }
}

type Row = { seq: number; tick: number; type: number; memcg: number; folio: number; a: number; b: number; data: string | null };

/**
 * The raw ceiling for writing `events`: the rows already flattened into one value array per
 * multi-row statement (prepared up front), each call writing all of them in one transaction under
 * a new run id, the values handed to better-sqlite3 as one array or spread as arguments. The
 * run id is patched into the rows inside the call (~1% of its time).
 */
export function rawInserter(store: Store, events: readonly Row[]): ((spread: boolean) => void) & { run: number } {
  const raw = store.sqlite;
  const n = events.length;
  const bulk = raw.prepare(HEAD + new Array(ROWS_PER_INSERT).fill(ROW).join(','));
  const single = raw.prepare(HEAD + ROW);
  const chunks: unknown[][] = [];
  const tail: unknown[][] = [];
  const full = Math.floor(n / ROWS_PER_INSERT) * ROWS_PER_INSERT;
  for (let i = 0; i < full; i += ROWS_PER_INSERT) {
    const c: unknown[] = new Array(COLS * ROWS_PER_INSERT);
    for (let j = 0; j < ROWS_PER_INSERT; j++) flatten(c, j * COLS, 0, events[i + j]);
    chunks.push(c);
  }
  for (let i = full; i < n; i++) {
    const c: unknown[] = new Array(COLS);
    flatten(c, 0, 0, events[i]);
    tail.push(c);
  }
  const insert = (spread: boolean) => {
    const run = ++insert.run;
    for (const c of chunks) for (let o = 0; o < c.length; o += COLS) c[o] = run;
    for (const c of tail) c[0] = run;
    raw.exec('BEGIN');
    if (spread) {
      for (const c of chunks) bulk.run(...c);
      for (const c of tail) single.run(...c);
    } else {
      for (const c of chunks) bulk.run(c);
      for (const c of tail) single.run(c);
    }
    raw.exec('COMMIT');
  };
  insert.run = 0;
  return insert;
}

function flatten(c: unknown[], o: number, run: number, e: Row): void {
  c[o] = run;
  c[o + 1] = e.seq;
  c[o + 2] = e.tick;
  c[o + 3] = e.type;
  c[o + 4] = e.memcg;
  c[o + 5] = e.folio;
  c[o + 6] = e.a;
  c[o + 7] = e.b;
  c[o + 8] = e.data;
}

function check(db: Database.Database, run: number, n: number): void {
  const got = (db.prepare('SELECT count(*) AS n FROM events WHERE run = ?').get(run) as { n: number }).n;
  if (got !== n) throw new Error(`append bench: run ${run} has ${got} rows, expected ${n}`);
}
