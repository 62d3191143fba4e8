import { EventType, type Event } from '../kernel/events.js';
import type { KernelState } from '../kernel/state.js';
import type { Store } from '../store/db.js';
import { MemcgProjection } from '../store/projections.js';
import { insertSample, type SampleRow } from '../store/samples.js';
import { memcgSizeBytes, type Experiment } from './experiment.js';
import { computeMetrics, type Metrics } from './metrics.js';

/** Compile-time: every metric of the vocabulary has a samples column of its name. */
const EVERY_METRIC_HAS_A_COLUMN: Exclude<keyof Metrics, keyof SampleRow> extends never ? true : never = true;
void EVERY_METRIC_HAS_A_COLUMN;

/**
 * Every projection of a run's log, fed event by event with the state right after the event:
 * the `memcgs` table and a metrics sample at every `sampleEvery`-th cycle event. Running,
 * resuming and `rebuild` all go through this one observer, so they write the same rows.
 */
export class RunProjections {
  private readonly memcgs: MemcgProjection;
  private readonly memcgSize: number;

  /** `from`: the state the log continues from (a snapshot), whose memcgs are already recorded. */
  constructor(private readonly store: Store, private readonly run: number, private readonly exp: Experiment, from?: KernelState) {
    const paths = from ? [...from.memcgs.values()].map((m): [number, string] => [m.id, m.path]) : undefined;
    this.memcgs = new MemcgProjection(store, run, paths);
    this.memcgSize = memcgSizeBytes(exp);
  }

  observe(e: Event, s: KernelState): void {
    if (e.type <= EventType.memcg_free) this.memcgs.observe(e);
    if (e.type === EventType.cycle && e.a % this.exp.sampleEvery === 0) this.writeSample(s);
  }

  private writeSample(s: KernelState): void {
    // every metric has its column, by name (SampleRow's type checks that each one does)
    insertSample(this.store, { run: this.run, seq: s.seq, tick: s.tick, cycle: s.cycle, ...computeMetrics(s, this.memcgSize) });
  }
}
