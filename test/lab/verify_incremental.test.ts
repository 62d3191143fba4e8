import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareExperiment } from '../../src/lab/prepare.js';
import { runExperiment } from '../../src/lab/run.js';
import { verifyRun } from '../../src/lab/verify.js';
import { closeStore, openStore } from '../../src/store/db.js';
import { ROOT, tempDir } from '../helpers.js';

// verify's checks combined: the incremental check after every event with a full check every n
// (the default), and the full check alone every n, whose failure is narrowed down to the event.
// On a run that breaks an invariant (a bug put back on purpose) all name the same event.

const store = openStore(join(tempDir(), 'verify-incremental.db'));
afterAll(() => closeStore(store));

/** The bug experiment, or the same machine and workload without the bug. */
function run(bug: boolean): number {
  const { exp } = prepareExperiment({
    file: join(ROOT, 'experiments', bug ? 'bug-stale-active-stats.json' : 'mglru-reparent.json'),
    set: ['workload.cycles=20'],
  });
  return runExperiment(store, exp).runId;
}

describe('verify: the incremental check and the full check every n events', () => {
  it('name the same first broken event: incremental (default), full every 5000 narrowed down, full every 20000 narrowed down', () => {
    const id = run(true);
    const inc = verifyRun(store, id);
    expect(inc.ok).toBe(false);
    const first = inc.violations[0];
    expect(first).toMatchObject({ type: 'reparent_unlocks', invariant: 'active-inactive' });
    for (const checkEvery of [5000, 20_000]) {
      const full = verifyRun(store, id, { incremental: false, checkEvery });
      expect(full.violations[0], `every ${checkEvery}`).toEqual(first);
    }
    expect(inc.notes ?? []).toEqual([]);
  });

  it('a clean run verifies with the incremental check, with a full check only at the end', () => {
    const id = run(false);
    const r = verifyRun(store, id, { checkEvery: 1e9 });
    expect(r).toMatchObject({ ok: true, violations: [] });
  });

  it('--check-every must still be a positive integer', () => {
    expect(() => verifyRun(store, 1, { checkEvery: 0 })).toThrow(/positive integer/);
  });
});
