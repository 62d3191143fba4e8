import type { MemcgRow, ProjectionSink, SampleRow } from '../store/projections.js';
import { short, type VerifyViolation } from './verify_types.js';

/** Differences reported per table before the rest are summed up. */
const MAX_PER_TABLE = 5;

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

/** The first column where two rows differ, or undefined. */
function firstDiff(rebuilt: Record<string, unknown>, stored: Record<string, unknown>): string | undefined {
  for (const k of new Set([...Object.keys(rebuilt), ...Object.keys(stored)])) if (!same(rebuilt[k], stored[k])) return k;
  return undefined;
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The projections verify rebuilds from the log, compared with the stored ones: samples as they are
 * produced (stored rows read in seq order, alongside), memcgs at the end (their rows change as
 * memcgs go offline and are freed).
 */
export class ProjectionCheck implements ProjectionSink {
  readonly violations: VerifyViolation[] = [];
  private readonly memcgs = new Map<number, MemcgRow>();
  private next: IteratorResult<SampleRow>;
  private count = new Map<string, number>();

  constructor(private readonly storedSamples: Iterator<SampleRow>) {
    this.next = storedSamples.next();
  }

  private report(table: string, seq: number, detail: string): void {
    const n = (this.count.get(table) ?? 0) + 1;
    this.count.set(table, n);
    if (n <= MAX_PER_TABLE) this.violations.push({ seq, type: table, invariant: 'projection', detail });
  }

  memcgCreated(row: MemcgRow): void {
    this.memcgs.set(row.id, { offlineSeq: null, offlineTick: null, freedSeq: null, freedTick: null, ...row });
  }

  memcgOffline(_run: number, id: number, seq: number, tick: number): void {
    const m = this.memcgs.get(id);
    if (m) Object.assign(m, { offlineSeq: seq, offlineTick: tick });
  }

  memcgFreed(_run: number, id: number, seq: number, tick: number): void {
    const m = this.memcgs.get(id);
    if (m) Object.assign(m, { freedSeq: seq, freedTick: tick });
  }

  sample(row: SampleRow): void {
    while (!this.next.done && this.next.value.seq < row.seq) {
      this.report(
        'samples',
        this.next.value.seq,
        `samples row seq ${this.next.value.seq} is not produced by the log (no sample falls there)`,
      );
      this.next = this.storedSamples.next();
    }
    if (this.next.done || this.next.value.seq !== row.seq) {
      this.report('samples', row.seq, `samples row seq ${row.seq} is missing (the log produces one there)`);
      return;
    }
    const stored = this.next.value;
    this.next = this.storedSamples.next();
    const k = firstDiff(row as Record<string, unknown>, stored as Record<string, unknown>);
    if (k) {
      const col = snake(k);
      this.report(
        'samples',
        row.seq,
        `samples row seq ${row.seq}: ${col} is ${short((stored as Record<string, unknown>)[k])}, the log rebuilds ${short((row as Record<string, unknown>)[k])}`,
      );
    }
  }

  /** Stop reading the stored samples (the fold stopped early): the connection can close. */
  close(): void {
    this.storedSamples.return?.();
  }

  /** After the fold: stored samples past the last rebuilt one, and every memcgs row. */
  finish(storedMemcgs: Iterable<MemcgRow>): void {
    for (; !this.next.done; this.next = this.storedSamples.next()) {
      this.report('samples', this.next.value.seq, `samples row seq ${this.next.value.seq} is not produced by the log`);
    }
    const seen = new Set<number>();
    for (const m of storedMemcgs) {
      seen.add(m.id);
      const rebuilt = this.memcgs.get(m.id);
      if (!rebuilt) {
        this.report('memcgs', m.createdSeq, `memcgs row id ${m.id} (${short(m.path)}) is not produced by the log`);
        continue;
      }
      const k = firstDiff(rebuilt as Record<string, unknown>, m as Record<string, unknown>);
      if (k) {
        this.report(
          'memcgs',
          rebuilt.createdSeq,
          `memcgs row id ${m.id}: ${snake(k)} is ${short((m as Record<string, unknown>)[k])}, the log rebuilds ${short((rebuilt as Record<string, unknown>)[k])}`,
        );
      }
    }
    for (const [id, m] of this.memcgs) {
      if (!seen.has(id))
        this.report('memcgs', m.createdSeq, `memcgs row id ${id} (${short(m.path)}) is missing (created at seq ${m.createdSeq})`);
    }
    for (const [table, n] of this.count) {
      if (n > MAX_PER_TABLE)
        this.violations.push({
          seq: 0,
          type: table,
          invariant: 'projection',
          detail: `and ${n - MAX_PER_TABLE} more ${table} rows differ`,
        });
    }
  }
}
