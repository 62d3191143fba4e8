import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LabError } from '../../src/errors.js';
import { EVENT_SCHEMA_VERSION, type Event, EventType } from '../../src/kernel/events.js';
import { stateHash } from '../../src/kernel/serialize.js';
import { ChainWriter, genesisRow } from '../../src/lab/chain.js';
import { type Experiment, parseExperiment } from '../../src/lab/experiment.js';
import { rebuildProjections } from '../../src/lab/rebuild.js';
import { replayState } from '../../src/lab/replay.js';
import { resumeRun } from '../../src/lab/resume.js';
import { runExperiment } from '../../src/lab/run.js';
import { runWorkload } from '../../src/lab/runner.js';
import { getRun } from '../../src/lab/runs.js';
import { verifyRun } from '../../src/lab/verify.js';
import { putChainRow } from '../../src/store/chain.js';
import { openStore, type Store } from '../../src/store/db.js';
import { readEvents } from '../../src/store/reader.js';
import { truncateRunAfter } from '../../src/store/truncate.js';
import { UPCASTERS } from '../../src/store/upcast.js';
import { cutAfterSnapshot, tempDir } from '../helpers.js';

const dir = tempDir();

function experiment(over: Record<string, unknown> = {}): Experiment {
  return parseExperiment({
    name: 'tt',
    seed: 11,
    policy: 'reparent',
    snapshotEvery: 3000,
    machine: { memory: '1MiB' },
    workload: { kind: 'restart-cycles', cycles: 30, accessesPerCycle: 300, sharedFilePages: 200 },
    ...over,
  });
}

/** An uninterrupted run kept in memory, recording the state hash right after each wanted seq. */
function hashesOfFreshRun(exp: Experiment, seqs: Set<number>): Map<number, string> {
  const out = new Map<number, string>();
  runWorkload(exp, (e, s) => {
    if (seqs.has(e.seq)) out.set(e.seq, stateHash(s));
  });
  return out;
}

function rows(store: Store, sql: string, run: number): unknown[] {
  return store.sqlite.prepare(sql).raw(true).all(run);
}
const EVENTS = 'SELECT seq, tick, type, memcg, folio, a, b, data FROM events WHERE run = ? ORDER BY seq';
const SAMPLES = 'SELECT * FROM samples WHERE run = ? ORDER BY seq';
const MEMCGS = 'SELECT * FROM memcgs WHERE run = ? ORDER BY id';
const SNAPSHOTS = 'SELECT seq, tick, cycle, state, lab, state_hash FROM snapshots WHERE run = ? ORDER BY seq';

let open: Store[] = [];
function store(name: string): Store {
  const s = openStore(join(dir, name));
  open.push(s);
  return s;
}
afterEach(() => {
  for (const s of open) s.sqlite.close();
  open = [];
});

describe('snapshots and replay to any point', () => {
  it('replay at random seqs, ticks and cycles equals a fresh run stopped there', () => {
    const exp = experiment();
    const st = store('replay.db');
    const r = runExperiment(st, exp);
    const snaps = rows(st, SNAPSHOTS, r.runId) as unknown[][];
    expect(snaps.length).toBeGreaterThan(5); // the interval is small: replay really starts from snapshots
    // random seqs (seeded), plus the edges: 1, just before/at/after a snapshot, the end
    let x = 12345;
    const seqs = new Set<number>([1, r.events, snaps[2][0] as number, (snaps[2][0] as number) - 1, (snaps[2][0] as number) + 1]);
    while (seqs.size < 25) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      seqs.add(1 + (x % r.events));
    }
    const fresh = hashesOfFreshRun(exp, seqs);
    for (const seq of seqs) expect(stateHash(replayState(st, r.runId, { seq })), `seq ${seq}`).toBe(fresh.get(seq));

    // --cycle C is the state right after the cycle event with a = C; --tick T after the last event at or before T
    const at = (sql: string, v: number) => st.sqlite.prepare(sql).pluck().get(r.runId, v) as number;
    for (const cycle of [1, 7, 15, 30]) {
      const seq = at('SELECT seq FROM events WHERE run = ? AND type = 23 AND a = ?', cycle);
      expect(replayState(st, r.runId, { cycle }).seq).toBe(seq);
      expect(stateHash(replayState(st, r.runId, { cycle }))).toBe(stateHash(replayState(st, r.runId, { seq })));
    }
    for (const tick of [0, 5, 1000, snaps[3][1] as number, r.events]) {
      const seq = at('SELECT max(seq) FROM events WHERE run = ? AND tick <= ?', tick);
      if (tick > (st.sqlite.prepare('SELECT max(tick) FROM events WHERE run = ?').pluck().get(r.runId) as number)) {
        expect(() => replayState(st, r.runId, { tick })).toThrow(/past its end/);
        continue;
      }
      expect(replayState(st, r.runId, { tick }).seq).toBe(seq);
    }
    expect(() => replayState(st, r.runId, { cycle: 31 })).toThrow(/past its end/);
    expect(() => replayState(st, r.runId, { seq: 5, cycle: 2 })).toThrow(/one of/);
  });

  it('snapshots are taken at cycle ends with the PRNG and the next cycle', () => {
    const st = store('snap.db');
    const r = runExperiment(st, experiment());
    for (const [seq, , cycle, , lab] of rows(st, SNAPSHOTS, r.runId) as [number, number, number, Buffer, string][]) {
      const e = st.sqlite.prepare('SELECT type, a FROM events WHERE run = ? AND seq = ?').get(r.runId, seq) as { type: number; a: number };
      expect(e).toEqual({ type: EventType.cycle, a: cycle });
      expect(JSON.parse(lab)).toMatchObject({ nextCycle: cycle + 1 });
    }
  });

  it('a snapshot that does not decode to its hash is passed over for an earlier one, by replay and resume alike', () => {
    const exp = experiment();
    const st = store('damaged.db');
    const clean = runExperiment(st, exp);
    const r = runExperiment(st, exp);
    const snaps = (rows(st, SNAPSHOTS, r.runId) as number[][]).map((x) => x[0]);
    const target = snaps[3] + 10;
    const want = stateHash(replayState(st, r.runId, { seq: target }));
    st.sqlite
      .prepare('UPDATE snapshots SET state = zeroblob(64) WHERE run = ? AND seq IN (?, ?)')
      .run(r.runId, snaps[3], snaps[snaps.length - 1]);
    expect(stateHash(replayState(st, r.runId, { seq: target }))).toBe(want);
    expect(verifyRun(st, r.runId).violations.map((v) => v.invariant)).toEqual(['snapshot-blob', 'snapshot-blob']);
    // resume goes on from the last snapshot that loads, and ends as the clean run did
    st.sqlite.prepare("UPDATE runs SET status = 'failed' WHERE id = ?").run(r.runId);
    expect(resumeRun(st, r.runId).stateHash).toBe(clean.stateHash);
    expect(rows(st, EVENTS, r.runId)).toEqual(rows(st, EVENTS, clean.runId));
  });
});

describe('resume', () => {
  it('a run cut after a snapshot (with committed events past it) resumes to the same rows as a clean run', () => {
    const exp = experiment();
    const st = store('resume.db');
    const clean = runExperiment(st, exp);
    const cut = runExperiment(st, exp);
    // Make `cut` look killed mid-way: its log ends 500 events past a snapshot, status running, a dead pid.
    cutAfterSnapshot(st, cut.runId, 3, 500);
    const res = resumeRun(st, cut.runId);
    expect(res.stateHash).toBe(clean.stateHash);
    for (const q of [
      EVENTS,
      SAMPLES.replace('*', 'seq, tick, cycle, nr_dying, stale_pages, memory_current, pgscan, pgsteal'),
      MEMCGS.replace('*', 'id, path, parent, created_seq, offline_seq, freed_seq'),
      SNAPSHOTS,
    ]) {
      expect(rows(st, q, cut.runId)).toEqual(rows(st, q, clean.runId));
    }
    const runRow = (id: number) =>
      st.sqlite.prepare('SELECT status, events, cycles, state_hash, metrics, pid, error FROM runs WHERE id = ?').get(id);
    expect(runRow(cut.runId)).toEqual(runRow(clean.runId));
    expect(() => resumeRun(st, cut.runId)).toThrow(/is done/);
  });

  it('restart-costly (mapped, dirty, writeback, swap, kswapd events): a cut run resumes to the rows of a clean one; replay at random seqs equals a fresh run', () => {
    const raw = JSON.parse(readFileSync(join(__dirname, '..', '..', 'experiments', 'restart-costly.json'), 'utf8'));
    const exp = parseExperiment({ ...raw, snapshotEvery: 20_000, workload: { ...raw.workload, cycles: 24, accessesPerCycle: 600 } });
    const st = store('costly.db');
    const clean = runExperiment(st, exp);
    const types = st.sqlite.prepare('SELECT DISTINCT type FROM events WHERE run = ?').pluck().all(clean.runId) as number[];
    for (const t of [EventType.putback, EventType.writeback_start, EventType.writeback_end, EventType.kswapd_wake, EventType.folio_map])
      expect(types).toContain(t);
    const cut = runExperiment(st, exp);
    cutAfterSnapshot(st, cut.runId, 1, 700);
    expect(resumeRun(st, cut.runId).stateHash).toBe(clean.stateHash);
    expect(rows(st, EVENTS, cut.runId)).toEqual(rows(st, EVENTS, clean.runId));
    const last = st.sqlite.prepare('SELECT max(seq) FROM events WHERE run = ?').pluck().get(clean.runId) as number;
    const seqs = new Set([1, 2, 3, 4, 5].map((k) => Math.floor((last * k) / 6)));
    const fresh = hashesOfFreshRun(exp, seqs);
    for (const seq of seqs) expect(stateHash(replayState(st, clean.runId, { seq })), `seq ${seq}`).toBe(fresh.get(seq));
    expect(verifyRun(st, clean.runId).ok).toBe(true);
  });

  it('a run with no snapshot yet starts over', () => {
    const exp = experiment({ snapshotEvery: 10_000_000 });
    const st = store('resume0.db');
    const clean = runExperiment(st, exp);
    const cut = runExperiment(st, exp);
    truncateRunAfter(st, cut.runId, 1234);
    st.sqlite.prepare("UPDATE runs SET status = 'failed' WHERE id = ?").run(cut.runId);
    expect(resumeRun(st, cut.runId).stateHash).toBe(clean.stateHash);
    expect(rows(st, EVENTS, cut.runId)).toEqual(rows(st, EVENTS, clean.runId));
  });
});

describe('rebuild and verify', () => {
  it('rebuild regenerates memcgs and samples from the events alone', () => {
    const st = store('rebuild.db');
    const r = runExperiment(st, experiment({ policy: 'legacy' }));
    const before = [rows(st, SAMPLES, r.runId), rows(st, MEMCGS, r.runId)];
    st.sqlite.prepare('DELETE FROM samples WHERE run = ?').run(r.runId);
    st.sqlite.prepare('UPDATE memcgs SET freed_seq = 1 WHERE run = ?').run(r.runId);
    const res = rebuildProjections(st, r.runId);
    expect(res).toMatchObject({ events: r.events, samples: 30 });
    expect([rows(st, SAMPLES, r.runId), rows(st, MEMCGS, r.runId)]).toEqual(before);
  });

  it('verify passes a clean run and names the seq of a corrupted row, and of a snapshot that does not match', () => {
    const st = store('verify.db');
    const r = runExperiment(
      st,
      experiment({ workload: { kind: 'restart-cycles', cycles: 4, accessesPerCycle: 100, sharedFilePages: 50 }, snapshotEvery: 200 }),
    );
    const ok = verifyRun(st, r.runId);
    expect(ok).toMatchObject({ ok: true, events: r.events, stateHash: r.stateHash, violations: [] });
    st.sqlite.close();
    open = [];
    const copy = join(dir, 'verify-bad.db');
    copyFileSync(join(dir, 'verify.db'), copy);
    const bad = openStore(copy);
    open.push(bad);
    // an access to a folio that does not exist: evolve refuses it
    const seq = bad.sqlite
      .prepare('SELECT seq FROM events WHERE run = ? AND type = ? LIMIT 1 OFFSET 10')
      .pluck()
      .get(r.runId, EventType.access) as number;
    const original = bad.sqlite.prepare('SELECT folio FROM events WHERE run = ? AND seq = ?').pluck().get(r.runId, seq);
    bad.sqlite.prepare('UPDATE events SET folio = 999999 WHERE run = ? AND seq = ?').run(r.runId, seq);
    const v = verifyRun(bad, r.runId);
    expect(v.ok).toBe(false);
    expect(v.violations[0]).toMatchObject({ seq, type: 'access', invariant: 'evolve' });
    expect(v.violations[0].detail).toMatch(/999999/);
    // an applicable but wrong event (a later tick) is caught by the next snapshot's hash
    bad.sqlite.prepare('UPDATE events SET folio = ? WHERE run = ? AND seq = ?').run(original, r.runId, seq);
    const snapSeq = bad.sqlite.prepare('SELECT min(seq) FROM snapshots WHERE run = ? AND seq > ?').pluck().get(r.runId, seq) as number;
    bad.sqlite.prepare('UPDATE events SET tick = tick + 1 WHERE run = ? AND seq = ?').run(r.runId, snapSeq);
    const v2 = verifyRun(bad, r.runId);
    expect(v2.ok).toBe(false);
    expect(v2.violations[0]).toMatchObject({ seq: snapSeq, type: 'snapshot', invariant: 'snapshot-hash' });
    expect(v2.violations[0].detail).toMatch(/diverges after seq \d+/);
    // checking every n events still pins a broken invariant to its event
    bad.sqlite.prepare('UPDATE events SET tick = tick - 1 WHERE run = ? AND seq = ?').run(r.runId, snapSeq);
    // a splice of the wrong list leaves the child's file folios behind: an invariant breaks, evolve does not object
    const splice = bad.sqlite
      .prepare('SELECT seq FROM events WHERE run = ? AND type = ? AND b = 2 LIMIT 1 OFFSET 2')
      .pluck()
      .get(r.runId, EventType.splice) as number;
    bad.sqlite.prepare('UPDATE events SET b = 4 WHERE run = ? AND seq = ?').run(r.runId, splice);
    const v4 = verifyRun(bad, r.runId);
    expect(v4.violations[0].invariant).not.toBe('evolve');
    expect(v4.violations[0].seq).toBeGreaterThan(splice);
    const v3 = verifyRun(bad, r.runId, { checkEvery: 97 });
    expect(v3.violations[0]).toEqual(v4.violations[0]);
  });
});

/** Rewrite a run's hash chain over its record as it now stands: genesis, then one end seal. */
function rechain(st: Store, runId: number): void {
  st.sqlite.prepare('DELETE FROM chain WHERE run = ?').run(runId);
  const run = getRun(st, runId);
  const genesis = genesisRow(run);
  putChainRow(st, runId, genesis);
  const w = ChainWriter.from(genesis, undefined);
  for (const e of readEvents(st, runId)) w.add(e);
  const end = { status: run.status, error: null, events: run.events, cycles: run.cycles, stateHash: run.stateHash!, metrics: run.metrics! };
  putChainRow(st, runId, w.seal(run.events, { end }));
}

describe('schema versions', () => {
  afterEach(() => {
    for (const k of Object.keys(UPCASTERS)) delete UPCASTERS[Number(k)];
  });

  it('an older log is read through the upcast hook; a newer one is refused', () => {
    const st = store('upcast.db');
    const r = runExperiment(st, experiment({ workload: { kind: 'restart-cycles', cycles: 3, accessesPerCycle: 50 } }));
    // Pretend the log was written under catalogue version 0, where `cycle` events had code 99.
    st.sqlite.prepare('UPDATE runs SET schema_version = ? WHERE id = ?').run(EVENT_SCHEMA_VERSION - 1, r.runId);
    st.sqlite.prepare('UPDATE events SET type = 99 WHERE run = ? AND type = ?').run(r.runId, EventType.cycle);
    st.sqlite.prepare('DELETE FROM snapshots WHERE run = ?').run(r.runId); // make replay read the whole log
    rechain(st, r.runId); // the hash chain that older memcglab would have written over this log
    expect(() => replayState(st, r.runId)).toThrow(/no upcast from 0 to 1/);
    let seen = 0;
    UPCASTERS[EVENT_SCHEMA_VERSION - 1] = (e: Event) => {
      seen++;
      return (e.type as number) === 99 ? { ...e, type: EventType.cycle } : e;
    };
    expect(stateHash(replayState(st, r.runId))).toBe(r.stateHash);
    expect(seen).toBeGreaterThan(0);
    expect(verifyRun(st, r.runId).ok).toBe(true);

    st.sqlite.prepare('UPDATE runs SET schema_version = ? WHERE id = ?').run(EVENT_SCHEMA_VERSION + 1, r.runId);
    expect(() => replayState(st, r.runId)).toThrow(LabError);
    expect(() => replayState(st, r.runId)).toThrow(/newer than this memcglab reads/);
  });

  it('a database written by a newer memcglab is refused', () => {
    const path = join(dir, 'newer.db');
    openStore(path).sqlite.close();
    const raw = new Database(path);
    raw.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('from-the-future', Date.now());
    raw.close();
    expect(() => openStore(path)).toThrow(/newer memcglab/);
    expect(() => openStore(path, { readonly: true })).toThrow(/newer memcglab/);
  });
});
