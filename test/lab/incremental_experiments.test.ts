import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, type Event } from '../../src/kernel/events.js';
import { evolve } from '../../src/kernel/evolve.js';
import { IncrementalChecker } from '../../src/kernel/invariants/incremental.js';
import { checkInvariants } from '../../src/kernel/invariants.js';
import { createState } from '../../src/kernel/state.js';
import { prepareExperiment } from '../../src/lab/prepare.js';
import { runWorkload } from '../../src/lab/runner.js';
import { ROOT } from '../helpers.js';

// Every shipped experiment, a few cycles of it, replayed with the incremental checker after every
// event: no false positive anywhere, and against the full check after every event of a prefix
// (and every 199th after it). An experiment that puts a bug back may break an invariant this
// early: then both checks find it at the same event and name the same invariant first.

const DIR = join(ROOT, 'experiments');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'experiment.schema.json');
const CYCLES = 3;
const PREFIX = 1500;

function events(file: string): { log: Event[]; bug: boolean } {
  const path = join(DIR, file);
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { workload: { cycles?: number } };
  const { exp } = prepareExperiment({ file: path, set: raw.workload.cycles ? [`workload.cycles=${CYCLES}`] : [] });
  const log: Event[] = [];
  runWorkload(exp, (e) => log.push(e));
  return { log, bug: Boolean(exp.policyOptions.bug) || exp.machine.concurrency.agingWalk };
}

describe('the shipped experiments check clean with the incremental checker', () => {
  it.each(FILES)('%s', (file) => {
    const { log, bug } = events(file);
    const s = createState();
    const inc = new IncrementalChecker(s);
    let fulls = 0;
    for (const e of log) {
      inc.before(e);
      evolve(s, e);
      const found = inc.after(e);
      if (!found.length && e.seq > PREFIX && e.seq % 199 !== 0) continue;
      const full = checkInvariants(s);
      fulls++;
      const where = `${file} seq ${e.seq} (${EVENT_NAMES[e.type]})`;
      expect(found.map((v) => v.invariant).slice(0, 1), where).toEqual(full.map((v) => v.invariant).slice(0, 1));
      if (found.length) {
        expect(bug, `${where}: ${found[0].invariant}: ${found[0].detail}`).toBe(true); // only a bug variant or a race breaks one
        return;
      }
    }
    expect(fulls).toBeGreaterThan(Math.min(PREFIX, log.length) - 1);
  });
});
