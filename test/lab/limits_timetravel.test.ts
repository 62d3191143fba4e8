import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stateHash } from '../../src/kernel/serialize.js';
import { parseExperiment } from '../../src/lab/experiment.js';
import { rebuildProjections } from '../../src/lab/rebuild.js';
import { replayState } from '../../src/lab/replay.js';
import { resumeRun } from '../../src/lab/resume.js';
import { runExperiment } from '../../src/lab/run.js';
import { verifyRun } from '../../src/lab/verify.js';
import { openStore, type Store } from '../../src/store/db.js';
import { cutAfterSnapshot, tempDir } from '../helpers.js';

// Every limits event (memory.events, the charge stock, memory.high throttling, OOM kills, memory.reclaim)
// goes through replay, verify, rebuild and resume like the rest of the log.
const dir = tempDir();

/** Jobs over memory.high (anon: throttled) and then memory.max (OOM-killed), a proactive agent, 10 ms ticks. */
const exp = parseExperiment({
  name: 'limits-tt',
  seed: 5,
  policy: 'reparent',
  snapshotEvery: 2000,
  machine: { memory: '4MiB', msPerTick: 10 },
  workload: {
    kind: 'restart-cycles',
    cycles: 8,
    sharedFilePages: 300,
    anonPages: 700,
    accessesPerCycle: 200,
    jobLimits: { high: '1MiB', max: '2MiB' },
    proactive: [{ cgroup: '/system.slice', everyCycles: 3, bytes: '256KiB', swappiness: 60 }],
  },
});

let open: Store[] = [];
afterEach(() => {
  for (const s of open) s.sqlite.close();
  open = [];
});
function store(name: string): Store {
  const s = openStore(join(dir, name));
  open.push(s);
  return s;
}

const rows = (st: Store, sql: string, run: number) => st.sqlite.prepare(sql).raw(true).all(run);

describe('limits events through replay, verify, rebuild and resume', () => {
  it('the experiment exercises every new event', () => {
    const st = store('kinds.db');
    const r = runExperiment(st, exp);
    const kinds = st.sqlite.prepare('SELECT DISTINCT type FROM events_v WHERE run = ?').pluck().all(r.runId) as string[];
    for (const k of [
      'memcg_memory_event',
      'oom_kill',
      'memcg_stock',
      'memcg_over_high',
      'memcg_throttle',
      'memory_reclaim',
      'memory_reclaim_end',
    ])
      expect(kinds).toContain(k);
    expect(r.metrics.oom_kill).toBe(8);
    expect(r.metrics.throttle_ticks).toBeGreaterThan(0);
    // a throttle's ticks are its penalty in 10 ms ticks, and the event is stamped at wake-up
    const t = st.sqlite.prepare("SELECT a, b FROM events_v WHERE run = ? AND type = 'memcg_throttle' LIMIT 1").get(r.runId) as {
      a: number;
      b: number;
    };
    expect(t.b).toBe(Math.ceil(t.a / 10));
    expect(verifyRun(st, r.runId, { checkEvery: 25 }).ok).toBe(true);
    expect(stateHash(replayState(st, r.runId, {}))).toBe(r.stateHash);
    const before = rows(st, 'SELECT * FROM samples WHERE run = ? ORDER BY seq', r.runId);
    rebuildProjections(st, r.runId);
    expect(rows(st, 'SELECT * FROM samples WHERE run = ? ORDER BY seq', r.runId)).toEqual(before);
  });

  it('a run cut after a snapshot resumes to the rows and hash of a clean run', () => {
    const st = store('resume.db');
    const clean = runExperiment(st, exp);
    const cut = runExperiment(st, exp);
    cutAfterSnapshot(st, cut.runId, 2, 300);
    const res = resumeRun(st, cut.runId);
    expect(res.stateHash).toBe(clean.stateHash);
    for (const q of [
      'SELECT seq, tick, type, memcg, folio, a, b, data FROM events WHERE run = ? ORDER BY seq',
      'SELECT * FROM samples WHERE run = ? ORDER BY seq',
    ]) {
      expect(rows(st, q, cut.runId).map((r) => (r as unknown[]).slice(1))).toEqual(
        rows(st, q, clean.runId).map((r) => (r as unknown[]).slice(1)),
      );
    }
  });
});
