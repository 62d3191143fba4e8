import { existsSync, realpathSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { LabError } from '../errors.js';
import { type ChainRow, chainRows } from '../store/chain.js';
import { closeStore, inTransaction, openStore, type Store } from '../store/db.js';
import { sqliteFailure } from '../store/errors.js';
import { allSweeps, copyRunFrom, insertSweepRow, loneRunCount, smallCache } from '../store/merge.js';
import { knownMigrations } from '../store/migrate.js';
import { foreignError, inspect, newerError } from '../store/open.js';
import type { RunRow } from '../store/runs.js';
import { findSweep, type SweepRow, sweepRuns } from '../store/sweeps.js';
import { putSweepTags, sweepTagsOf } from '../store/tags.js';
import { genesisRow, rowDigest } from './chain.js';
import { type Matrix, sweepKey } from './matrix.js';
import { effectiveStatus } from './runs.js';
import { checkChain } from './verify_chain.js';

/** A sweep of a source database, with what identifies it across databases. */
interface SourceSweep {
  row: SweepRow;
  matrix: Matrix;
  key: string;
}

interface Source {
  path: string;
  store: Store;
  sweeps: SourceSweep[];
}

/** What merging one source did. */
export interface SourceReport {
  path: string;
  /** runs copied: their id in the source, their new id, their cell and events */
  merged: { run: number; into: number; sweep: number; cell: number; events: number }[];
  /** done runs whose cell the target already holds with the same state hash */
  already: number;
  /** runs not done (running, interrupted, failed): not merged */
  notDone: { run: number; status: string }[];
  /** done runs whose cell the target holds with another state hash */
  conflicts: { run: number; cell: number; held: number }[];
  /** done runs whose record does not check against its hash chain */
  unchecked: { run: number; detail: string }[];
  /** runs outside any sweep (merge unifies sweeps: they are not merged) */
  lone: number;
}

export interface MergeReport {
  into: string;
  sweeps: { id: number; name: string; cells: number; held: number; created: boolean }[];
  sources: SourceReport[];
  runs: number;
  events: number;
  seconds: number;
}

const parseMatrix = (s: SweepRow): Matrix => JSON.parse(s.matrix) as Matrix;

/** The number of cells of a matrix (all shards). */
const cellCount = (m: Matrix): number => m.axes.reduce((n, a) => n * a.values.length, m.policies.length * m.seeds.length);

function describeSweep(s: SourceSweep): string {
  const m = s.matrix;
  return `sweep ${s.row.id} '${s.row.name}' (${m.file}: ${[...m.axes.map((a) => `${a.path}=${a.values.join(',')}`), `policies ${m.policies.join(',')}`, `seeds ${m.seeds.join(',')}`].join('; ')})`;
}

function sweepsOf(store: Store): SourceSweep[] {
  return allSweeps(store).map((row) => {
    const matrix = parseMatrix(row);
    return { row, matrix, key: sweepKey(row.name, matrix) };
  });
}

/** Open a source read-only, refusing anything but a memcglab database of this schema version that holds a sweep. */
function openSource(path: string): Source {
  const known = knownMigrations();
  const { kind, applied, tables } = inspect(path);
  if (kind === 'missing') throw new LabError(`merge: ${path} does not exist; pass the shard databases the sweep wrote`);
  if (kind === 'foreign') throw foreignError(path, tables);
  if (kind === 'empty') throw new LabError(`merge: ${path} is empty: it holds no sweep; pass the databases \`sweep --shard\` wrote`);
  if (applied > known) throw newerError(path, applied, known);
  if (applied < known)
    throw new LabError(
      `merge: ${path} has schema version ${applied}, this memcglab writes ${known}; bring it up to date first (memcglab runs --db ${path} does), then merge`,
    );
  const store = openStore(path, { readonly: true });
  smallCache(store);
  const sweeps = sweepsOf(store);
  if (!sweeps.length) {
    closeStore(store);
    throw new LabError(`merge: ${path} holds no sweep; merge takes the databases \`sweep --shard i/N\` wrote`);
  }
  return { path, store, sweeps };
}

/** One line saying how two databases' sweeps differ (undefined when they hold the same sweeps). */
function sweepSetDiff(a: SourceSweep[], b: SourceSweep[], aName: string, bName: string): string | undefined {
  const bKeys = new Set(b.map((s) => s.key));
  const aKeys = new Set(a.map((s) => s.key));
  const onlyA = a.find((s) => !bKeys.has(s.key));
  const onlyB = b.find((s) => !aKeys.has(s.key));
  if (!onlyA && !onlyB) return undefined;
  if (onlyA && onlyB) return `${bName} holds ${describeSweep(onlyB)}, ${aName} holds ${describeSweep(onlyA)} instead`;
  if (onlyA) return `${aName} holds ${describeSweep(onlyA)}, ${bName} does not`;
  return `${bName} holds ${describeSweep(onlyB!)}, ${aName} does not`;
}

const sameFile = (a: string, b: string): boolean => {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return resolve(a) === resolve(b);
  }
};

/** The target's sweep for each source sweep key, making the ones it lacks (the first source's id kept when free). */
function targetSweeps(target: Store, sources: Source[]): { byKey: Map<string, number>; created: Set<number> } {
  const byKey = new Map<string, number>();
  const created = new Set<number>();
  for (const s of sweepsOf(target)) if (!byKey.has(s.key)) byKey.set(s.key, s.row.id);
  inTransaction(
    target,
    () => {
      for (const s of sources[0].sweeps) {
        if (byKey.has(s.key)) continue;
        const copies = sources.flatMap((src) => src.sweeps.filter((x) => x.key === s.key).map((x) => x.row));
        const { shard: _shard, ...whole } = s.matrix;
        const id = insertSweepRow(target, {
          id: findSweep(target, s.row.id) ? undefined : s.row.id,
          name: s.row.name,
          experiment: s.row.experiment,
          matrix: JSON.stringify(whole),
          created: copies.map((c) => c.created).sort()[0],
          note: s.row.note,
        });
        putSweepTags(target, id, sweepTagsOf(sources[0].store, s.row.id));
        byKey.set(s.key, id);
        created.add(id);
      }
    },
    true,
  );
  return { byKey, created };
}

/** A run's chain re-sealed for its new row: the same event segments and seals, a new genesis (it seals the id and sweep). */
function resealed(rows: ChainRow[], run: RunRow): ChainRow[] {
  const genesis = genesisRow(run);
  const out = [genesis];
  let prev = genesis.digest;
  for (const r of rows) {
    if (r.seq === 0) continue;
    const digest = rowDigest(prev, r.seq, r.events, r.data);
    out.push({ ...r, digest });
    prev = digest;
  }
  return out;
}

/** Why a done run's record cannot be merged: its chain does not check, or its end seal is not its row. */
function chainProblem(store: Store, r: RunRow): string | undefined {
  const c = checkChain(store, r);
  c.segments?.finish(); // the event rows against each segment's hash (verify feeds them from its fold; here they are read once)
  if (c.violations.length) return c.violations[0].detail;
  const end = c.end;
  if (!end) return `run ${r.id}'s hash chain has no end seal: it was not sealed done`;
  const row = { status: r.status, events: r.events, cycles: r.cycles, stateHash: r.stateHash, metrics: r.metrics };
  for (const k of Object.keys(row) as (keyof typeof row)[])
    if (end[k] !== row[k]) return `runs.${k} of run ${r.id} is not what its chain's end seal holds`;
  return undefined;
}

interface Planned {
  src: Source;
  report: SourceReport;
  run: RunRow;
  sweep: number;
}

/**
 * Merge sweep databases (the shards of a sweep) into `into`: every done run is checked against its
 * hash chain and copied under a new id, with its chain re-sealed for that id; the same sweep in
 * several files becomes one sweep (kept under its id when free). Cells `into` already holds are
 * left alone, so merging a file again adds nothing. Runs are copied in matrix order, so merging
 * every shard into a new file gives the run ids one machine would have.
 */
export function mergeDatabases(paths: string[], into: string, onRun?: (done: number, total: number) => void): MergeReport {
  const t0 = Date.now();
  if (!paths.length) throw new LabError('merge: no databases to merge; e.g. memcglab merge shard-*.db --into all.db');
  for (const p of paths)
    if (existsSync(into) && sameFile(p, into)) throw new LabError(`merge: ${p} is the --into database itself; merge into another file`);
  const sources: Source[] = [];
  let target: Store | undefined;
  const fresh = !existsSync(into);
  let copied = 0;
  try {
    for (const p of paths) {
      const src = openSource(p);
      sources.push(src);
      const diff = sweepSetDiff(sources[0].sweeps, src.sweeps, sources[0].path, p);
      if (diff)
        throw new LabError(
          `merge: ${diff}; merge the shards of the same sweeps (same name, experiment, --policies, --seeds and --set) together`,
        );
    }
    target = openStore(into);
    try {
      return mergeInto(target, into, sources, t0, () => copied++, onRun);
    } catch (e) {
      if (fresh && !copied) {
        // refused or failed before the first run: leave no new file behind
        closeStore(target);
        target = undefined;
        for (const suffix of ['', '-wal', '-shm']) rmSync(into + suffix, { force: true });
      }
      throw e;
    }
  } finally {
    for (const s of sources) closeStore(s.store);
    if (target) closeStore(target);
  }
}

/** A SQLite failure reading or copying a run, as one line naming the files. */
function failure(e: unknown, what: string, file: string): unknown {
  const f = sqliteFailure(e, file);
  return f ? new LabError(`merge: ${what}: ${f.message}`) : e;
}

type Held = Map<number, Map<number, { id: number; hash: string | null; done: boolean }>>;

/** What to copy, in matrix order, and what each source holds that is not copied (done runs whose cell the target has, runs not done). */
function plan(target: Store, sources: Source[], byKey: Map<string, number>): { reports: SourceReport[]; todo: Planned[]; cells: Held } {
  const cells: Held = new Map();
  for (const id of byKey.values()) {
    const runs = sweepRuns(target, id);
    cells.set(id, new Map(runs.map((r) => [r.sweepCell ?? -1, { id: r.id, hash: r.stateHash, done: effectiveStatus(r) === 'done' }])));
  }
  const reports: SourceReport[] = [];
  const todo: Planned[] = [];
  for (const src of sources) {
    const report: SourceReport = {
      path: src.path,
      merged: [],
      already: 0,
      notDone: [],
      conflicts: [],
      unchecked: [],
      lone: loneRunCount(src.store),
    };
    reports.push(report);
    for (const s of src.sweeps) {
      const sweep = byKey.get(s.key)!;
      const held = cells.get(sweep)!;
      for (const run of sweepRuns(src.store, s.row.id)) {
        const status = effectiveStatus(run);
        if (status !== 'done' || run.sweepCell === null) {
          report.notDone.push({ run: run.id, status });
          continue;
        }
        const h = held.get(run.sweepCell);
        if (h) {
          if (h.done && h.hash === run.stateHash) report.already++;
          else report.conflicts.push({ run: run.id, cell: run.sweepCell, held: h.id });
          continue;
        }
        held.set(run.sweepCell, { id: 0, hash: run.stateHash, done: true });
        todo.push({ src, report, run, sweep });
      }
    }
  }
  todo.sort((a, b) => a.sweep - b.sweep || a.run.sweepCell! - b.run.sweepCell!);
  return { reports, todo, cells };
}

/** Check one planned run against its chain and copy it; false (and why, in its report) when it is not copied. */
function copyOne(target: Store, into: string, p: Planned): boolean {
  const { run } = p;
  let problem: string | undefined;
  try {
    problem = chainProblem(p.src.store, run);
  } catch (e) {
    throw failure(e, `reading run ${run.id} of ${p.src.path}`, p.src.path);
  }
  if (problem) {
    p.report.unchecked.push({ run: run.id, detail: problem });
    return false;
  }
  const { id: _id, ...row } = run;
  const fresh = { ...row, sweep: p.sweep, pid: null, host: null, bootId: null, holderStart: null, heartbeat: null, leaseMs: null };
  const source = chainRows(p.src.store, run.id);
  let id: number;
  try {
    id = copyRunFrom(target, p.src.path, run.id, fresh, run.events, (newId) => resealed(source, { ...fresh, id: newId }));
  } catch (e) {
    if (!(e instanceof LabError)) throw failure(e, `copying run ${run.id} of ${p.src.path} into ${into}`, `${p.src.path} or ${into}`);
    p.report.unchecked.push({ run: run.id, detail: e.message });
    return false;
  }
  p.report.merged.push({ run: run.id, into: id, sweep: p.sweep, cell: run.sweepCell!, events: run.events });
  return true;
}

function mergeInto(
  target: Store,
  into: string,
  sources: Source[],
  t0: number,
  onCopy: () => void,
  onRun?: (done: number, total: number) => void,
): MergeReport {
  const held = sweepsOf(target);
  if (held.length) {
    const diff = sweepSetDiff(held, sources[0].sweeps, into, sources[0].path);
    if (diff) throw new LabError(`merge: ${into} holds other sweeps than ${sources[0].path}: ${diff}; merge into a new file`);
  }
  const { byKey, created } = targetSweeps(target, sources);
  const { reports, todo, cells } = plan(target, sources, byKey);
  let events = 0;
  let runs = 0;
  todo.forEach((p, i) => {
    if (copyOne(target, into, p)) {
      onCopy();
      runs++;
      events += p.run.events;
    } else cells.get(p.sweep)!.delete(p.run.sweepCell!);
    onRun?.(i + 1, todo.length);
  });
  const sweeps = [...new Set(byKey.values())].map((id) => {
    const s = findSweep(target, id)!;
    const done = [...cells.get(id)!.values()].filter((c) => c.done).length;
    return { id, name: s.name, cells: cellCount(parseMatrix(s)), held: done, created: created.has(id) };
  });
  return { into, sweeps, sources: reports, runs, events, seconds: (Date.now() - t0) / 1000 };
}
