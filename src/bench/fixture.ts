import { join } from 'node:path';
import type { Event } from '../kernel/events.js';
import { applyOverrides, type Experiment, loadExperimentFile, parseExperiment } from '../lab/experiment.js';
import { runExperiment } from '../lab/run.js';
import { defaultExperimentPath } from '../lab/version.js';
import { closeStore, openStore, type Store } from '../store/db.js';
import { readEvents } from '../store/reader.js';
import type { BenchContext } from './types.js';

/** The default experiment (experiments/default.json), with `--set`-style overrides. */
export function defaultExperiment(sets: string[] = []): Experiment {
  const file = defaultExperimentPath();
  return parseExperiment(applyOverrides(loadExperimentFile(file), sets), file);
}

/** Cycles of the default experiment the in-process figures use (quick: a fifth). */
export function recordingCycles(ctx: BenchContext): number {
  return ctx.quick ? 40 : cyclesOf(defaultExperiment());
}

/** The cycles of a restart-cycles experiment (the kind every bench figure runs). */
export function cyclesOf(exp: Experiment): number {
  if (exp.workload.kind !== 'restart-cycles') throw new Error(`the bench runs restart-cycles experiments, not ${exp.workload.kind}`);
  return exp.workload.cycles;
}

export interface Recording {
  path: string;
  runId: number;
  /** the run's events as the reader decodes them: the realistic event mix */
  events: Event[];
}

let cached: { dir: string; rec: Recording } | undefined;

/**
 * One real run of the default experiment (reparent, classic LRU), recorded once per suite and
 * shared by the append, replay and size figures.
 */
export function recording(ctx: BenchContext): Recording {
  if (cached?.dir === ctx.dir) return cached.rec;
  const path = join(ctx.dir, 'recording.db');
  const store = openStore(path);
  try {
    const exp = defaultExperiment([`workload.cycles=${recordingCycles(ctx)}`]);
    const { runId } = runExperiment(store, exp);
    const events = [...readEvents(store, runId)];
    cached = { dir: ctx.dir, rec: { path, runId, events } };
    return cached.rec;
  } finally {
    closeStore(store);
  }
}

/**
 * Forget the recorded events (the database stays): the figures after append and replay run with a
 * small heap, so the recording's half-million objects do not tax their garbage collection.
 */
export function dropRecordingEvents(): void {
  if (cached) cached.rec.events = [];
}

export function withStore<T>(path: string, fn: (store: Store) => T, readonly = false): T {
  const store = openStore(path, { readonly });
  try {
    return fn(store);
  } finally {
    closeStore(store);
  }
}
