import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_NAMES, type Event, GEN_UPDATE_BATCHED } from '../../src/kernel/events.js';
import { Rng } from '../../src/kernel/rng.js';
import { parseExperiment } from '../../src/lab/experiment.js';
import { resumeRun } from '../../src/lab/resume.js';
import { runExperiment } from '../../src/lab/run.js';
import { runWorkload } from '../../src/lab/runner.js';
import { PctScheduler } from '../../src/policy/pct.js';
import { openStore, type Store } from '../../src/store/db.js';
import { cutAfterSnapshot, tempDir } from '../helpers.js';

const dir = tempDir();
let open: Store[] = [];
afterEach(() => {
  for (const s of open) s.sqlite.close();
  open = [];
});

/** The aging walk as a task (race-aging-batch, shortened), under the scheduler given. */
function raceExp(concurrency: Record<string, unknown>, cycles = 4) {
  return parseExperiment({
    name: 'pct',
    seed: 3,
    snapshotEvery: 20_000,
    machine: { lru: 'mglru', memory: '2MiB', concurrency: { agingWalk: true, ...concurrency } },
    policy: 'reparent',
    workload: {
      kind: 'restart-cycles',
      cycles,
      sharedFilePages: 768,
      privateFilePages: 32,
      anonPages: 128,
      accessesPerCycle: 2000,
      access: { dist: 'zipf', alpha: 1.0 },
      mappedFraction: 1,
    },
  });
}

function events(exp: ReturnType<typeof raceExp>): Event[] {
  const out: Event[] = [];
  runWorkload(exp, (e) => out.push({ ...e }));
  return out;
}

/**
 * Workload accesses logged between a walk's first step (its first batched gen_update) and its end:
 * the workload running while the walk is part-way. (walk_start is logged when the walk is queued.)
 */
function accessesInsideWalks(evs: Event[]): number {
  let stepping = false;
  let n = 0;
  for (const e of evs) {
    const name = EVENT_NAMES[e.type];
    if (name === 'gen_update' && e.b === GEN_UPDATE_BATCHED) stepping = true;
    else if (name === 'walk_end') stepping = false;
    else if (stepping && name === 'access') n++;
  }
  return n;
}

describe('PctScheduler', () => {
  it('draws depth − 1 distinct change points in 1..steps; each drops the one running below every initial priority', () => {
    const pct = new PctScheduler(4, 50);
    const rng = new Rng(7);
    const a = {};
    const b = {};
    const w0 = pct.workload(rng);
    const pa = pct.priority(a, rng);
    const pb = pct.priority(b, rng);
    for (const p of [w0, pa, pb]) expect(p).toBeGreaterThanOrEqual(4);
    const drops: number[] = [];
    for (let unit = 1; unit <= 50; unit++) {
      const who = unit % 2 ? a : null;
      const before = who ? pct.priority(a, rng) : pct.workload(rng);
      pct.ran(who, rng);
      const after = who ? pct.priority(a, rng) : pct.workload(rng);
      if (after !== before) drops.push(after);
    }
    // change points 1, 2, 3 lower to 3, 2, 1, in that order, whoever was running
    expect(drops).toEqual([3, 2, 1]);
    expect(pct.priority(b, rng)).toBe(pb);
  });

  it('is a function of the PRNG: the same seed draws the same priorities and change points', () => {
    const trace = (seed: number) => {
      const pct = new PctScheduler(3, 20);
      const rng = new Rng(seed);
      const t = {};
      const out: number[] = [pct.workload(rng), pct.priority(t, rng)];
      for (let i = 0; i < 20; i++) {
        pct.ran(i % 3 ? null : t, rng);
        out.push(pct.workload(rng), pct.priority(t, rng));
      }
      return out;
    };
    expect(trace(11)).toEqual(trace(11));
    expect(trace(11)).not.toEqual(trace(12));
  });
});

describe('scheduler "pct" in runs', () => {
  it('with depth 1 (no change points) a walk runs whole once it starts: no workload access falls between its steps; the coin scheduler interleaves them', () => {
    const pct = events(raceExp({ scheduler: 'pct', pctDepth: 1 }));
    const coin = events(raceExp({}));
    expect(pct.some((e) => EVENT_NAMES[e.type] === 'walk_start')).toBe(true);
    expect(accessesInsideWalks(pct)).toBe(0);
    expect(accessesInsideWalks(coin)).toBeGreaterThan(0);
  });

  it('with change points a walk can be cut by the workload, and the schedule is deterministic', () => {
    const a = events(raceExp({ scheduler: 'pct', pctDepth: 3, pctSteps: 2000 }, 6));
    const b = events(raceExp({ scheduler: 'pct', pctDepth: 3, pctSteps: 2000 }, 6));
    expect(b).toEqual(a);
    expect(accessesInsideWalks(a)).toBeGreaterThan(0);
  });

  it('a run cut after a snapshot resumes to the rows and hash of the clean run', () => {
    const st = openStore(join(dir, 'pct.db'));
    open.push(st);
    const exp = raceExp({ scheduler: 'pct', pctDepth: 3, pctSteps: 2000 });
    const clean = runExperiment(st, exp);
    const cut = runExperiment(st, exp);
    cutAfterSnapshot(st, cut.runId, 1, 500);
    expect(resumeRun(st, cut.runId).stateHash).toBe(clean.stateHash);
    const rows = (run: number) =>
      st.sqlite.prepare('SELECT seq, tick, type, memcg, folio, a, b, data FROM events WHERE run = ? ORDER BY seq').raw(true).all(run);
    expect(rows(cut.runId)).toEqual(rows(clean.runId));
  });
});
