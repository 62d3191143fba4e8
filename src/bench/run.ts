import { join } from 'node:path';
import type { Event } from '../kernel/events.js';
import type { Experiment } from '../lab/experiment.js';
import { COMMIT_EVERY, runExperiment } from '../lab/run.js';
import { runWorkload } from '../lab/runner.js';
import { EventAppender } from '../store/appender.js';
import { closeStore, openStore, type Store } from '../store/db.js';
import { rawInserter } from './append.js';
import { cyclesOf, defaultExperiment, recordingCycles } from './fixture.js';
import { bestOf } from './timing.js';
import { atLeast, type BenchContext, type BenchResult, round } from './types.js';

/**
 * The simulation alone: the runner's loop (workload → deciders → evolve), with the event log
 * replaced by `sink`. Returns the number of events.
 */
export function simulate(exp: Experiment, sink: (e: Event) => void, each?: () => void): number {
  return runWorkload(exp, sink, { afterStep: each }).sim.s.seq;
}

/**
 * run: end-to-end events/s of the default experiment (runExperiment into a fresh database), next
 * to the same simulation with no storage at all (its ceiling), and the share of the time spent
 * in simulation, in the event log, and in the rest of the bookkeeping (samples, memcgs
 * projection, run row).
 */
export function benchRun(ctx: BenchContext): BenchResult[] {
  const out: BenchResult[] = [];
  for (const lru of ['classic', 'mglru'] as const) {
    const sets = [`workload.cycles=${recordingCycles(ctx)}`, `machine.lru="${lru}"`];
    let exp: Experiment;
    try {
      exp = defaultExperiment(sets);
    } catch (e) {
      out.push(skipped(`run.${lru}`, `experiment refused: ${(e as Error).message}`));
      continue;
    }
    try {
      out.push(...runFigures(ctx, exp, lru));
    } catch (e) {
      if (lru === 'classic') throw e;
      out.push(skipped(`run.${lru}`, `run failed (MGLRU in progress?): ${(e as Error).message.split('\n')[0]}`));
    }
  }
  return out;
}

function runFigures(ctx: BenchContext, exp: Experiment, lru: string): BenchResult[] {
  let k = 0;
  let store: Store | undefined;
  let events = 0;
  let simEvents = 0;
  let logEvents = 0;
  const open = () => {
    store = openStore(join(ctx.dir, `run-${lru}-${++k}.db`));
  };
  const full = () => {
    try {
      events = runExperiment(store!, exp).events;
    } finally {
      closeStore(store!);
    }
  };
  let pipedEvents = 0;
  const piped = () => {
    try {
      pipedEvents = runExperiment(store!, exp, { pipeline: true }).events;
    } finally {
      closeStore(store!);
    }
  };
  // the raw append ceiling for this run's rows (what a pipelined run's writer thread can reach)
  const rows: Event[] = [];
  simulate(exp, (e) => rows.push({ ...e }));
  const rawStore = openStore(join(ctx.dir, `run-${lru}-raw.db`));
  const rawInsert = rawInserter(rawStore, rows);
  const simOnly = () => {
    let _x = 0;
    simEvents = simulate(exp, (e) => {
      _x += e.type;
    });
  };
  const simLog = () => {
    try {
      const app = new EventAppender(store!, 1);
      let last = 0;
      app.begin();
      logEvents = simulate(
        exp,
        (e) => app.append(e),
        () => {
          if (app.appended - last >= COMMIT_EVERY) {
            app.commit();
            last = app.appended;
          }
        },
      );
      app.commit();
    } finally {
      closeStore(store!);
    }
  };
  const iters = ctx.quick ? 1 : 3;
  ctx.log(`run (${lru}): ${cyclesOf(exp)} cycles × ${iters} rounds: simulation, + event log, full runExperiment`);
  const t = bestOf(
    [
      { name: 'sim', fn: simOnly },
      { name: 'simlog', fn: simLog, beforeEach: open },
      { name: 'full', fn: full, beforeEach: open },
      { name: 'piped', fn: piped, beforeEach: open },
      { name: 'raw', fn: () => rawInsert(true) },
    ],
    iters,
  );
  closeStore(rawStore);
  const ms = (x: string) => t.get(x)!;
  const rate = (x: string) => Math.round(events / (ms(x) / 1000));
  const same = simEvents === events && logEvents === events && pipedEvents === events && rows.length === events;
  const pipedRatio = round(ms('raw') / ms('piped'));
  const pct = (x: number) => Math.round((100 * x) / ms('full'));
  const simShare = pct(ms('sim'));
  const logShare = pct(Math.max(0, ms('simlog') - ms('sim')));
  const restShare = Math.max(0, 100 - simShare - logShare);
  const caveat = same
    ? ''
    : ` (warning: the storage-free loop made ${simEvents} events, runExperiment ${events}: the split is approximate)`;
  return [
    {
      name: `run.${lru}`,
      value: rate('full'),
      unit: 'events/s',
      baseline: rate('sim'),
      ratio: round(ms('sim') / ms('full')),
      goal: null,
      met: null,
      note: `default experiment, ${cyclesOf(exp)} cycles, ${events} events in ${ms('full').toFixed(0)} ms; baseline: the same simulation with no storage${caveat}`,
    },
    {
      name: `run.${lru}.pipelined`,
      value: rate('piped'),
      unit: 'events/s',
      baseline: rate('raw'),
      ratio: pipedRatio,
      ...atLeast(pipedRatio, 0.85),
      note:
        `runExperiment with the log on a writer thread (the CLI's default on 2+ cores), ${events} events in ${ms('piped').toFixed(0)} ms ` +
        `(${round(ms('full') / ms('piped'), 2)}× the one-thread run); baseline: a raw multi-row INSERT of the same rows, pre-flattened, in one transaction${caveat}`,
    },
    {
      name: `run.${lru}.share`,
      value: simShare,
      unit: '% simulation',
      baseline: null,
      ratio: null,
      goal: null,
      met: null,
      note: `of runExperiment's time: simulation ${simShare}%, event log (EventAppender) ${logShare}%, samples + memcgs projection + run row ${restShare}%`,
    },
  ];
}

export function skipped(name: string, note: string): BenchResult {
  return { name, value: null, unit: 'events/s', baseline: null, ratio: null, goal: null, met: null, note: `skipped: ${note}` };
}
