import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Event, EventType, RECLAIMERS, REFAULT_ACTIVATE, REFAULT_RECENT, REFAULT_WORKINGSET } from '../../src/kernel/events.js';
import { evolve } from '../../src/kernel/evolve.js';
import { folioNid } from '../../src/kernel/node.js';
import { Stat } from '../../src/kernel/stat.js';
import { createState, folioMemcgId, type KernelState, MEMCG_DYING, MEMCG_ONLINE } from '../../src/kernel/state.js';
import { memcgSizeBytes, storedExperiment } from '../../src/lab/experiment.js';
import { totalStat } from '../../src/lab/metrics.js';
import { getRun } from '../../src/lab/runs.js';
import { closeStore, openStore } from '../../src/store/db.js';
import { runEvents } from '../../src/store/reader.js';
import { ROOT } from '../helpers.js';

/** One query of experiments/cookbook.sql: its name, the question (its comment lines), the SQL. */
export interface Recipe {
  name: string;
  question: string;
  sql: string;
}

/** The cookbook as the README shows it: a recipe starts at its `-- name:` line. */
export function readCookbook(): Recipe[] {
  const text = readFileSync(join(ROOT, 'experiments', 'cookbook.sql'), 'utf8');
  const parts = text.split(/^-- name: (\S+)\n/m);
  const out: Recipe[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    const lines = parts[i + 1].trim().split('\n');
    const doc = lines.filter((l) => l.startsWith('-- ')).map((l) => l.slice(3));
    out.push({ name: parts[i], question: doc.join(' '), sql: lines.filter((l) => !l.startsWith('--')).join('\n') });
  }
  return out;
}

export interface Eviction {
  seq: number;
  tick: number;
  cycle: number;
  folio: number;
  owner: number;
  target: number;
  reclaimer: string;
  charged: number;
  chargedSeq: number;
  chargedCycle: number;
  file: boolean;
  key: number;
  /** the memcg of the latest memcg_offline before it (undefined: none yet) */
  latest: number | undefined;
  ownerDying: boolean;
  chargerOnline: boolean;
  nid: number;
}

export interface Refault {
  seq: number;
  tick: number;
  cycle: number;
  folio: number;
  /** the memcg the new folio is charged to, from the state */
  memcg: number;
  shadowMemcg: number;
  recent: boolean;
  workingset: boolean;
  activate: boolean;
  refs: number;
  file: boolean;
  key: number;
  nid: number;
}

export interface MemcgLife {
  id: number;
  path: string;
  offlineSeq?: number;
  offlineTick?: number;
  freedSeq?: number;
  freedTick?: number;
  /** cycle events strictly between offline and freed (or the end of the log) */
  cyclesDying: number;
}

export interface Sample {
  cycle: number;
  nrDying: number;
  dyingBytes: number;
  stalePages: number;
  pgscan: number;
  pgsteal: number;
  reclaims: number;
  lruvecsScanned: number;
}

/** What the model says about a run: its log folded through evolve, looked at before and after each event. */
export interface Facts {
  /** the cycle each event belongs to, by seq (index 0 unused) */
  cycleOf: number[];
  evictions: Eviction[];
  refaults: Refault[];
  memcgs: Map<number, MemcgLife>;
  paths: Map<number, string>;
  samples: Sample[];
  splices: Event[];
}

const RECLAIMER_NAME = Object.fromEntries(Object.entries(RECLAIMERS).map(([k, v]) => [v, k]));

/**
 * Fold run `runId` of `db` in this process, independently of the SQL under test: owners come from
 * the state just before each eviction (folio_memcg()), dying from the memcg states, gauges from
 * counting folios and memcgs, counters from the kernel stats.
 */
export function foldFacts(db: string, runId = 1): Facts {
  const store = openStore(db, { readonly: true });
  try {
    const run = getRun(store, runId);
    const exp = storedExperiment(run);
    const memcgSize = memcgSizeBytes(exp);
    const s: KernelState = createState();
    const f: Facts = { cycleOf: [0], evictions: [], refaults: [], memcgs: new Map(), paths: new Map([[1, '/']]), samples: [], splices: [] };
    const charges = new Map<number, { memcg: number; seq: number; cycle: number }>();
    let latest: number | undefined;
    for (const e of runEvents(store, run)) {
      const cycle = e.type === EventType.cycle ? e.a : s.cycle + 1;
      f.cycleOf[e.seq] = cycle;
      if (e.type === EventType.evict) {
        const folio = s.folios.get(e.folio)!;
        const owner = folioMemcgId(s, folio)!;
        const c = charges.get(e.folio)!;
        f.evictions.push({
          seq: e.seq,
          tick: e.tick,
          cycle,
          folio: e.folio,
          owner,
          target: e.memcg,
          reclaimer: RECLAIMER_NAME[e.a],
          charged: c.memcg,
          chargedSeq: c.seq,
          chargedCycle: c.cycle,
          file: folio.file,
          key: folio.key,
          latest,
          ownerDying: s.memcgs.get(owner)!.state === MEMCG_DYING,
          chargerOnline: s.memcgs.get(c.memcg)?.state === MEMCG_ONLINE,
          nid: folioNid(folio),
        });
      }
      evolve(s, e);
      switch (e.type) {
        case EventType.charge:
          charges.set(e.folio, { memcg: e.memcg, seq: e.seq, cycle });
          break;
        case EventType.refault: {
          const folio = s.folios.get(e.folio)!;
          f.refaults.push({
            seq: e.seq,
            tick: e.tick,
            cycle,
            folio: e.folio,
            memcg: folioMemcgId(s, folio)!,
            shadowMemcg: e.memcg,
            recent: (e.a & REFAULT_RECENT) !== 0,
            workingset: (e.a & REFAULT_WORKINGSET) !== 0,
            activate: (e.a & REFAULT_ACTIVATE) !== 0,
            refs: e.b,
            file: folio.file,
            key: folio.key,
            nid: folioNid(folio),
          });
          break;
        }
        case EventType.memcg_create:
          f.paths.set(e.memcg, s.memcgs.get(e.memcg)!.path);
          f.memcgs.set(e.memcg, { id: e.memcg, path: s.memcgs.get(e.memcg)!.path, cyclesDying: 0 });
          break;
        case EventType.memcg_offline:
          Object.assign(f.memcgs.get(e.memcg)!, { offlineSeq: e.seq, offlineTick: e.tick });
          latest = e.memcg;
          break;
        case EventType.memcg_free:
          Object.assign(f.memcgs.get(e.memcg)!, { freedSeq: e.seq, freedTick: e.tick });
          break;
        case EventType.splice:
          f.splices.push({ ...e });
          break;
        case EventType.cycle:
          for (const m of f.memcgs.values()) if (m.offlineSeq !== undefined && m.freedSeq === undefined) m.cyclesDying++;
          if (e.a % exp.sampleEvery === 0) f.samples.push(sample(s, e.a, memcgSize));
          break;
      }
    }
    return f;
  } finally {
    closeStore(store);
  }
}

/** The sample point's gauges counted from the memcgs and folios themselves, the counters from the stats. */
function sample(s: KernelState, cycle: number, memcgSize: number): Sample {
  const dying = new Set([...s.memcgs.values()].filter((m) => m.state === MEMCG_DYING).map((m) => m.id));
  let stale = 0;
  for (const folio of s.folios.values()) if (dying.has(folioMemcgId(s, folio)!)) stale++;
  return {
    cycle,
    nrDying: dying.size,
    dyingBytes: dying.size * memcgSize,
    stalePages: stale,
    pgscan: totalStat(s, Stat.pgscan),
    pgsteal: totalStat(s, Stat.pgsteal),
    reclaims: s.reclaims,
    lruvecsScanned: s.lruvecsScanned,
  };
}

/** Round as SQLite's round(x, n) does for the values here. */
export const round = (x: number, n: number) => Math.round(x * 10 ** n) / 10 ** n;

/** Group `xs` by `key`, in first-seen order. */
export function groupBy<T, K>(xs: readonly T[], key: (x: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const x of xs) {
    const k = key(x);
    const g = m.get(k);
    if (g) g.push(x);
    else m.set(k, [x]);
  }
  return m;
}
