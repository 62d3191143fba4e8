import { EVENT_SCHEMA_VERSION, type Event } from '../kernel/events.js';
import { type ChainRow, chainRows } from '../store/chain.js';
import type { Store } from '../store/db.js';
import { readEvents } from '../store/reader.js';
import type { RunRow } from '../store/runs.js';
import { EventHasher, GENESIS, IDENTITY_COLUMNS, type Identity, identityOf, rowDigest, type SealData } from './chain.js';
import { type Experiment, parseExperiment } from './experiment.js';
import { runWorkload } from './runner.js';
import { short, type VerifyViolation } from './verify_types.js';
import { codeVersion } from './version.js';

export interface ChainCheck {
  violations: VerifyViolation[];
  /** what each chain row (seq > 0) seals, by seq */
  seals: Map<number, SealData>;
  /** the end seal, when the run was sealed done */
  end?: SealData['end'];
  /** the last seq the chain covers */
  sealedTo: number;
  notes: string[];
  chained: boolean;
  /** the event rows against the segment hashes: fed by the caller's own pass over the log, then finished (null: no chain) */
  segments: SegmentCheck | null;
}

/**
 * Check a run's hash chain: the genesis against the run's identity columns, every row against its
 * digest; and with `segments`, the event rows against each row's segment hash (one pass over the
 * log, which also finds gaps; verify feeds it from the fold's own read of the log, so the log is
 * read once). A segment that does not match is narrowed to its first differing row by running the
 * run's experiment again (deterministic: the same code makes the same events) when this build
 * wrote it.
 */
export function checkChain(store: Store, run: RunRow): ChainCheck {
  const out: ChainCheck = { violations: [], seals: new Map(), sealedTo: 0, notes: [], chained: false, segments: null };
  const v = (x: VerifyViolation) => out.violations.push(x);
  const rows = chainRows(store, run.id);
  if (!rows.length) {
    v({
      seq: 0,
      type: 'runs',
      invariant: 'chain',
      detail: `runs row ${run.id} has no hash chain (no chain rows for run ${run.id}): written by a memcglab without one, or its chain rows or id were changed`,
    });
    return out;
  }
  out.chained = true;
  let genesis: Identity | undefined;
  let prev = GENESIS;
  const first = rows[0];
  if (first.seq !== 0) {
    v({ seq: 0, type: 'chain', invariant: 'genesis', detail: `chain row seq 0 (the genesis) of run ${run.id} is missing` });
  } else {
    const expect = rowDigest(GENESIS, 0, first.events, first.data);
    if (expect !== first.digest || first.events !== '') {
      v({
        seq: 0,
        type: 'chain',
        invariant: 'chain-digest',
        detail: `chain row seq 0 (the genesis) does not match its digest: the chain table was altered`,
      });
    } else {
      try {
        genesis = JSON.parse(first.data) as Identity;
      } catch {
        v({ seq: 0, type: 'chain', invariant: 'genesis', detail: 'chain row seq 0 (the genesis) does not hold JSON' });
      }
    }
    prev = expect;
    if (genesis) {
      const mine = identityOf(run);
      for (const col of IDENTITY_COLUMNS) {
        const sealed = col in genesis ? genesis[col] : null; // sweep columns: absent from a genesis sealed before they existed
        if (mine[col] !== sealed) {
          v({
            seq: 0,
            type: 'runs',
            invariant: 'identity',
            detail: `runs.${col} of run ${run.id} is ${short(mine[col])}, but the chain's genesis (chain row seq 0) sealed ${short(sealed)}`,
          });
        }
      }
    }
  }
  const links = rows.filter((r) => r.seq > 0);
  for (const r of links) {
    const expect = rowDigest(prev, r.seq, r.events, r.data);
    if (expect !== r.digest)
      v({
        seq: r.seq,
        type: 'chain',
        invariant: 'chain-digest',
        detail: `chain row seq ${r.seq} does not match its digest: the chain table was altered`,
      });
    prev = expect;
    try {
      out.seals.set(r.seq, JSON.parse(r.data) as SealData);
    } catch {
      v({ seq: r.seq, type: 'chain', invariant: 'chain-data', detail: `chain row seq ${r.seq} does not hold JSON` });
    }
  }
  const last = links.at(-1);
  out.sealedTo = last?.seq ?? 0;
  out.end = last ? out.seals.get(last.seq)?.end : undefined;
  out.segments = new SegmentCheck(store, run, links, genesis, out);
  return out;
}

/**
 * One pass over the event rows, in seq order: gaps, and each segment's hash against its chain
 * row. `add` takes the rows as the caller reads them; `finish` reads whatever the caller did not
 * get to (a fold that stopped early) and reports.
 */
export class SegmentCheck {
  private readonly hasher = new EventHasher();
  private readonly bad: { from: number; to: number }[] = [];
  private want = 1;
  private idx = 0;
  private boundary = 0;
  private lastSeq = 0;
  private gap = false;
  private tail = 0;

  constructor(
    private readonly store: Store,
    private readonly run: RunRow,
    private readonly links: ChainRow[],
    private readonly genesis: Identity | undefined,
    private readonly out: ChainCheck,
  ) {}

  add(e: Event): void {
    if (e.seq <= this.lastSeq) return; // a row seen already (a fold that read on from a snapshot)
    const links = this.links;
    if (e.seq !== this.want && !this.gap) {
      this.out.violations.push({
        seq: this.want,
        type: 'events',
        invariant: 'gap',
        detail: `events row seq ${this.want} of run ${this.run.id} is missing (the next row is seq ${e.seq})`,
      });
      this.gap = true;
    }
    this.want = e.seq + 1;
    this.lastSeq = e.seq;
    this.hasher.add(e);
    if (this.idx >= links.length) this.tail++;
    while (this.idx < links.length && links[this.idx].seq <= e.seq) {
      const seg = this.hasher.segment();
      if (seg !== links[this.idx].events) this.bad.push({ from: this.boundary, to: links[this.idx].seq });
      this.boundary = links[this.idx].seq;
      this.idx++;
    }
  }

  /** Read the rows after the last one added, then report: rows missing at the end, rows after the end seal, segments that differ. */
  finish(): void {
    for (const e of readEvents(this.store, this.run.id, this.lastSeq)) this.add(e);
    const { hasher, bad, idx, boundary, lastSeq, tail, links, out, store, run, genesis } = this;
    if (idx < links.length) {
      out.violations.push({
        seq: lastSeq + 1,
        type: 'events',
        invariant: 'chain',
        detail: `the log of run ${run.id} ends at seq ${lastSeq}, but chain row seq ${links[links.length - 1].seq} seals events up to there: events rows after seq ${lastSeq} are missing`,
      });
      if (hasher.count) bad.push({ from: boundary, to: links[idx].seq });
    }
    if (tail) {
      if (out.end) {
        out.violations.push({
          seq: boundary + 1,
          type: 'events',
          invariant: 'chain',
          detail: `events rows seq ${boundary + 1}..${lastSeq} come after the run's end seal (chain row seq ${boundary})`,
        });
      } else {
        out.notes.push(`${tail} events after seq ${boundary} are not sealed by the chain yet (an interrupted run: resume replaces them)`);
      }
    }
    if (bad.length) localize(store, run, genesis, bad[0], out);
    for (const b of bad.slice(1)) {
      out.violations.push({
        seq: b.from + 1,
        type: 'events',
        invariant: 'chain',
        detail: `events rows seq ${b.from + 1}..${b.to} do not match the hash in chain row seq ${b.to}`,
      });
    }
  }
}

class Found extends Error {}

/**
 * Name the first event row that differs in a segment whose hash does not match: run the
 * experiment sealed in the genesis again and compare each event it makes with the stored row.
 * Only for runs written by this build (another version may decide differently).
 */
function localize(store: Store, run: RunRow, genesis: Identity | undefined, seg: { from: number; to: number }, out: ChainCheck): void {
  const generic = (): void => {
    out.violations.push({
      seq: seg.from + 1,
      type: 'events',
      invariant: 'chain',
      detail: `events rows seq ${seg.from + 1}..${seg.to} do not match the hash in chain row seq ${seg.to}`,
    });
  };
  if (!genesis || genesis.code_version !== codeVersion() || genesis.schema_version !== EVENT_SCHEMA_VERSION) {
    generic();
    return;
  }
  let exp: Experiment;
  try {
    exp = parseExperiment(JSON.parse(String(genesis.experiment)), 'the sealed experiment');
  } catch {
    generic();
    return;
  }
  const stored = readEvents(store, run.id)[Symbol.iterator]();
  let found: VerifyViolation | undefined;
  const FIELDS = ['seq', 'tick', 'type', 'memcg', 'folio', 'a', 'b', 'data'] as const;
  const sink = (e: Event) => {
    const r = stored.next();
    if (r.done || r.value.seq !== e.seq) {
      found = {
        seq: e.seq,
        type: 'events',
        invariant: 'chain',
        detail: `events row seq ${e.seq} of run ${run.id} is missing or out of place (the experiment produces it; the chain seals it)`,
      };
      throw new Found();
    }
    for (const f of FIELDS) {
      if (r.value[f] !== e[f]) {
        found = {
          seq: e.seq,
          type: 'events',
          invariant: 'chain',
          detail: `events row seq ${e.seq} of run ${run.id} differs from what its experiment produces (and the chain seals): ${f} is ${short(r.value[f])}, not ${short(e[f])}`,
        };
        throw new Found();
      }
    }
    if (e.seq >= seg.to) throw new Found();
  };
  try {
    runWorkload(exp, sink);
  } catch (e) {
    if (!(e instanceof Found)) {
      generic();
      return;
    }
  }
  if (found) out.violations.push(found);
  else {
    out.violations.push({
      seq: seg.to,
      type: 'chain',
      invariant: 'chain',
      detail: `chain row seq ${seg.to} does not match its events, which are what the experiment produces: the chain row was altered`,
    });
  }
}
