import { LOG_TABLES, type LogRows, type LogTable, type MemcgRow, type ProjectionSink, type SampleRow } from '../store/projections.js';
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

type Row = Record<string, unknown>;
type Report = (table: string, seq: number, detail: string) => void;
export type SeqTable = 'samples' | LogTable;

/**
 * One seq-keyed projection table checked as the fold produces its rows: the stored rows are read in
 * seq order alongside, so a table of any size is compared in constant memory.
 */
class SeqStream {
  private next: IteratorResult<Row>;

  constructor(
    private readonly table: SeqTable,
    private readonly stored: Iterator<Row>,
    private readonly report: Report,
  ) {
    this.next = stored.next();
  }

  check(row: Row): void {
    const t = this.table;
    const seq = row.seq as number;
    while (!this.next.done && (this.next.value.seq as number) < seq) {
      this.report(t, this.next.value.seq as number, `${t} row seq ${this.next.value.seq} is not produced by the log (no row falls there)`);
      this.next = this.stored.next();
    }
    if (this.next.done || this.next.value.seq !== seq) {
      this.report(t, seq, `${t} row seq ${seq} is missing (the log produces one there)`);
      return;
    }
    const stored = this.next.value;
    this.next = this.stored.next();
    const k = firstDiff(row, stored);
    if (k) this.report(t, seq, `${t} row seq ${seq}: ${snake(k)} is ${short(stored[k])}, the log rebuilds ${short(row[k])}`);
  }

  /** Stored rows past the last rebuilt one. */
  finish(): void {
    for (; !this.next.done; this.next = this.stored.next()) {
      this.report(this.table, this.next.value.seq as number, `${this.table} row seq ${this.next.value.seq} is not produced by the log`);
    }
  }

  close(): void {
    this.stored.return?.();
  }
}

/**
 * The projections verify rebuilds from the log, compared with the stored ones: the seq-keyed ones
 * (samples, cycles, evictions, refaults, splices) as they are produced, memcgs at the end (their
 * rows change as memcgs go offline and are freed).
 */
export class ProjectionCheck implements ProjectionSink {
  readonly violations: VerifyViolation[] = [];
  private readonly memcgs = new Map<number, MemcgRow>();
  private readonly streams: Map<SeqTable, SeqStream>;
  private count = new Map<string, number>();

  /** `stored(table)`: the table's stored rows of the run, by seq, under their column names. */
  constructor(stored: (table: SeqTable) => Iterator<Row>) {
    const report: Report = (table, seq, detail) => this.report(table, seq, detail);
    this.streams = new Map((['samples', ...LOG_TABLES] as SeqTable[]).map((t) => [t, new SeqStream(t, stored(t), report)]));
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
    this.streams.get('samples')!.check(row as Row);
  }

  row<T extends LogTable>(table: T, row: LogRows[T]): void {
    this.streams.get(table)!.check(row as Row);
  }

  /** Stop reading the stored rows (the fold stopped early): the connection can close. */
  close(): void {
    for (const s of this.streams.values()) s.close();
  }

  /** After the fold: stored rows past the last rebuilt ones, and every memcgs row. */
  finish(storedMemcgs: Iterable<MemcgRow>): void {
    for (const s of this.streams.values()) s.finish();
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
