/**
 * An explore worker process (forked by runPool): runs each chunk of schedules it is sent, in
 * memory, and reports the first one that broke something. Exits when told to or when its parent
 * goes away (explore stops at the first failure).
 */
import { type ChunkResult, type ExploreChunk, runChunk } from './explore.js';
import type { FromWorker, ToWorker } from './pool.js';

if (process.send) {
  process.on('message', (m: ToWorker<ExploreChunk>) => {
    if (m.kind !== 'task') return process.exit(0);
    try {
      process.send?.({ kind: 'done', task: m.task, result: runChunk(m.payload) } satisfies FromWorker<ChunkResult>);
    } catch (e) {
      process.send?.({ kind: 'error', task: m.task, message: (e as Error).message } satisfies FromWorker<ChunkResult>);
    }
  });
  process.on('disconnect', () => process.exit(0));
}
