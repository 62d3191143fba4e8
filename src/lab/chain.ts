import { createHash, type Hash } from 'node:crypto';
import type { Event } from '../kernel/events.js';
import type { ChainRow } from '../store/chain.js';
import type { RunRow } from '../store/runs.js';
import { packColumns } from './event_pack.js';

/**
 * The hash chain that makes a run's record tamper-evident (schema.ts `chain`).
 *
 * - Genesis (seq 0): `data` is the run's identity as JSON; digest = H(GENESIS, 0, '', data).
 * - At every snapshot (and the end): `events` = sha256 of the event rows since the previous chain
 *   row, `data` = the snapshot's tick, cycle, state hash and runner-state hash (+ the run's final
 *   columns at the end), digest = H(previous digest, seq, events, data).
 *
 * Rows are written in the same transaction as the events and the snapshot they cover, so the
 * durable chain always ends at a resumable point. Anyone can recompute it (there is no secret):
 * it proves the record was not changed by accident or by a tool that did not recompute it, and
 * `verify` uses it to name the first row that differs.
 */
export const GENESIS = 'memcglab-chain-v1';

/** Rows hashed per update: fixed, so the writer and verify feed SHA-256 the same bytes. */
const BATCH = 256;
const F = 8; // float64 slots per event: seq, tick, type, memcg, folio, a, b, data length (-1: null)

export function sha256(s: string | Buffer): string {
  return createHash('sha256').update(s).digest('hex');
}

/**
 * sha256 over event rows, fed one at a time: each batch of BATCH rows is hashed as one buffer of
 * float64s (every column; integers are exact) followed by the batch's `data` strings.
 */
export class EventHasher {
  private readonly nums = new Float64Array(BATCH * F);
  private readonly bytes = Buffer.from(this.nums.buffer);
  private data = '';
  private n = 0;
  private hash: Hash = createHash('sha256');
  count = 0;

  add(e: Event): void {
    const o = this.n * F;
    const v = this.nums;
    packColumns(v, o, e);
    if (e.data === null) v[o + 7] = -1;
    else {
      v[o + 7] = e.data.length;
      this.data += e.data;
    }
    this.count++;
    if (++this.n === BATCH) this.flush();
  }

  private flush(): void {
    if (!this.n) return;
    this.hash.update(this.n === BATCH ? this.bytes : this.bytes.subarray(0, this.n * F * 8));
    if (this.data) this.hash.update(this.data);
    this.n = 0;
    this.data = '';
  }

  /** The digest of the rows added since the last call; starts a new segment. */
  segment(): string {
    this.flush();
    const d = this.hash.digest('hex');
    this.hash = createHash('sha256');
    this.count = 0;
    return d;
  }
}

export function rowDigest(prev: string, seq: number, events: string, data: string): string {
  return createHash('sha256').update(`${prev}\n${seq}\n${events}\n${data}`).digest('hex');
}

/**
 * The columns of a run's row the genesis seals: what the run is, including the sweep (and cell)
 * it belongs to, which compare --sweep groups by. A genesis sealed before the sweep columns
 * existed reads them as null (a lone run).
 */
export const IDENTITY_COLUMNS = [
  'id',
  'name',
  'experiment',
  'policy',
  'lru',
  'seed',
  'schema_version',
  'code_version',
  'sweep',
  'sweep_cell',
] as const;
export type Identity = Record<(typeof IDENTITY_COLUMNS)[number], string | number | null>;

export function identityOf(r: RunRow): Identity {
  return {
    id: r.id,
    name: r.name,
    experiment: r.experiment,
    policy: r.policy,
    lru: r.lru,
    seed: r.seed,
    schema_version: r.schemaVersion,
    code_version: r.codeVersion,
    sweep: r.sweep ?? null,
    sweep_cell: r.sweepCell ?? null,
  };
}

export function genesisRow(r: RunRow): ChainRow {
  const data = JSON.stringify(identityOf(r));
  return { seq: 0, events: '', data, digest: rowDigest(GENESIS, 0, '', data) };
}

/** What a chain row seals besides events: a snapshot, and at the end the run's final columns. */
export interface SealData {
  snapshot?: { tick: number; cycle: number; stateHash: string; lab: string };
  end?: { status: string; error: null; events: number; cycles: number; stateHash: string; metrics: string };
}

/**
 * The writer's side: feed it every appended event; `seal` at each snapshot (and the end) gives the
 * row to store. A row at the same seq as the previous one (the end falling on the last snapshot)
 * replaces it, with both seals.
 */
export class ChainWriter {
  private readonly hasher = new EventHasher();
  constructor(
    private prev: string,
    private last: { row: ChainRow; prev: string } | undefined,
  ) {}

  /** Continue a chain from its row at a snapshot's seq (resume), or start after `genesis`. */
  static from(row: ChainRow, prevOfRow: string | undefined): ChainWriter {
    return new ChainWriter(row.digest, row.seq === 0 ? undefined : { row, prev: prevOfRow ?? GENESIS });
  }

  add(e: Event): void {
    this.hasher.add(e);
  }

  seal(seq: number, data: SealData): ChainRow {
    if (this.hasher.count === 0 && this.last && this.last.row.seq === seq) {
      const merged = JSON.stringify({ ...(JSON.parse(this.last.row.data) as SealData), ...data });
      const row = { seq, events: this.last.row.events, data: merged, digest: rowDigest(this.last.prev, seq, this.last.row.events, merged) };
      this.last = { row, prev: this.last.prev };
      this.prev = row.digest;
      return row;
    }
    const events = this.hasher.segment();
    const text = JSON.stringify(data);
    const row = { seq, events, data: text, digest: rowDigest(this.prev, seq, events, text) };
    this.last = { row, prev: this.prev };
    this.prev = row.digest;
    return row;
  }
}
