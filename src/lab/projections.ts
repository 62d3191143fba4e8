import { type Event, EventType } from '../kernel/events.js';
import type { KernelState } from '../kernel/state.js';
import type { ProjectionSink, SampleRow } from '../store/projections.js';
import { type Experiment, memcgSizeBytes } from './experiment.js';
import { LogProjections, type ResumePoint } from './log_projections.js';
import { computeMetrics, type Metrics } from './metrics.js';

/** Compile-time: every metric of the vocabulary has a samples column of its name. */
const EVERY_METRIC_HAS_A_COLUMN: Exclude<keyof Metrics, keyof SampleRow> extends never ? true : never = true;
void EVERY_METRIC_HAS_A_COLUMN;

/**
 * Every projection of a run's log, fed event by event with the state right after the event:
 * the `memcgs` rows (when each memcg was created, went offline, was freed), a metrics sample
 * at every `sampleEvery`-th cycle event, and the rows of cycles, evictions, refaults and splices
 * (log_projections.ts). Running, resuming, `rebuild` and `verify` all go through this one
 * observer, so they produce the same rows.
 */
export class RunProjections {
  private readonly paths: Map<number, string>;
  private readonly memcgSize: number;
  private readonly log: LogProjections;

  /**
   * `from`: the state the log continues from (a snapshot), whose memcgs are already recorded;
   * `resume`: what the log before it says about the folios live in it and the cycles ended.
   */
  constructor(
    private readonly sink: ProjectionSink,
    private readonly run: number,
    private readonly exp: Experiment,
    from?: { state: KernelState; resume: ResumePoint },
  ) {
    this.paths = new Map(from ? [...from.state.memcgs.values()].map((m): [number, string] => [m.id, m.path]) : [[1, '/']]);
    this.memcgSize = memcgSizeBytes(exp);
    this.log = new LogProjections(sink, run, from?.resume);
  }

  observe(e: Event, s: KernelState): void {
    this.log.observe(e, s);
    switch (e.type) {
      case EventType.memcg_create: {
        const pp = this.paths.get(e.a) ?? '/';
        const path = pp === '/' ? `/${e.data}` : `${pp}/${e.data}`;
        this.paths.set(e.memcg, path);
        this.sink.memcgCreated({ run: this.run, id: e.memcg, path, parent: e.a, createdSeq: e.seq, createdTick: e.tick });
        break;
      }
      case EventType.memcg_offline:
        this.sink.memcgOffline(this.run, e.memcg, e.seq, e.tick);
        break;
      case EventType.memcg_free:
        this.sink.memcgFreed(this.run, e.memcg, e.seq, e.tick);
        this.paths.delete(e.memcg);
        break;
      case EventType.cycle:
        if (e.a % this.exp.sampleEvery === 0) this.sink.sample(this.sampleRow(s));
        break;
    }
  }

  private sampleRow(s: KernelState): SampleRow {
    // every metric has its column, by name (SampleRow's type checks that each one does)
    return { run: this.run, seq: s.seq, tick: s.tick, cycle: s.cycle, ...computeMetrics(s, this.memcgSize) };
  }
}
