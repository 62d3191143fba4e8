import { fileURLToPath } from 'node:url';
import type { Experiment } from './experiment.js';
import { type ChunkResult, type ExploreChunk, runChunk, type ScheduleResult } from './explore.js';
import { runPool } from './pool.js';

export interface ExploreResult {
  schedules: number;
  events: number;
  /** the failing schedule with the lowest seed among those run, or null */
  failed: ScheduleResult | null;
}

/** Chunks per worker: small enough that a failure stops the rest soon, large enough to amortise a task. */
const CHUNKS_PER_JOB = 8;

/**
 * Seeds first..first+n-1, in order on one process, or in chunks on `jobs` worker processes. A
 * chunk stops at its first failure; with workers, the first failure reported ends the search
 * (the workers are let go) and the lowest failing seed among finished chunks is reported.
 */
export async function exploreSeeds(exp: Experiment, first: number, n: number, jobs: number): Promise<ExploreResult> {
  const seeds = Array.from({ length: n }, (_, i) => first + i);
  if (jobs <= 1) {
    const r = runChunk({ exp, seeds });
    return { schedules: r.schedules, events: r.events, failed: r.failed };
  }
  const size = Math.max(1, Math.ceil(n / (jobs * CHUNKS_PER_JOB)));
  const chunks: ExploreChunk[] = [];
  for (let i = 0; i < n; i += size) chunks.push({ exp, seeds: seeds.slice(i, i + size) });
  const script = fileURLToPath(new URL('./explore_worker.js', import.meta.url));
  const done: ChunkResult[] = [];
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const all = runPool<ExploreChunk, ChunkResult>(script, chunks, jobs, {
    onDone: (_task, r) => {
      done.push(r);
      if (r.failed) stop();
    },
    onError: (task, message) => {
      throw new Error(`explore chunk ${task}: ${message}`);
    },
  });
  await Promise.race([all, stopped]);
  const failed = done
    .map((r) => r.failed)
    .filter((f): f is ScheduleResult => !!f)
    .sort((a, b) => a.seed - b.seed)[0];
  return {
    schedules: done.reduce((a, r) => a + r.schedules, 0),
    events: done.reduce((a, r) => a + r.events, 0),
    failed: failed ?? null,
  };
}
