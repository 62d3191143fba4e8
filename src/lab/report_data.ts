import { LRU_ACTIVE_ANON, LRU_ACTIVE_FILE, LRU_INACTIVE_ANON, LRU_INACTIVE_FILE } from '../kernel/constants.js';
import { EventType } from '../kernel/events.js';
import { lruGenFromSeq } from '../kernel/lru_gen.js';
import { lruGenIndex } from '../kernel/mmzone.js';
import { lruvecOf } from '../kernel/node.js';
import type { KernelState } from '../kernel/state.js';
import type { Store } from '../store/db.js';
import { samplesOfRuns } from '../store/report.js';
import { compareStats, groupByPolicy, type StatRun, type StatsComparison } from './compare_stats.js';
import { foldRun } from './fold.js';
import { getRun } from './runs.js';
import { summarize } from './stats.js';

/** One point of a metric's time series for a policy: the mean over its seeds and the 95% CI. */
export interface SeriesPoint {
  metric: string;
  policy: string;
  cycle: number;
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

/** Pages of one LRU generation (MGLRU, by age: 0 = the youngest, max_seq) or list (classic) of a cgroup at a sample point. */
export interface LruPoint {
  policy: string;
  run: number;
  cycle: number;
  /** "gen max_seq-k" or an LRU list name */
  part: string;
  order: number;
  pages: number;
}

export interface ReportData {
  title: string;
  runs: StatRun[];
  stats: StatsComparison;
  /** the metric columns of `samples`, in table order */
  sampleMetrics: string[];
  series: SeriesPoint[];
  cgroup: string;
  lru: LruPoint[];
}

/** Sample metrics drawn first, when present; any other column follows in table order. */
const PREFERRED = [
  'nr_dying',
  'dying_bytes',
  'stale_pages',
  'pgscan',
  'pgsteal',
  'reclaim_efficiency',
  'workingset_refault_file',
  'refault_rate',
  'eviction_inversion',
  'lruvecs_scanned',
  'memory_current',
];

/** Mean and 95% CI per policy, metric and sample cycle, over the seeds. */
function seriesOf(store: Store, runs: StatRun[]): { metrics: string[]; series: SeriesPoint[] } {
  const policyOf = new Map(runs.map((r) => [r.id, r.policy]));
  const { metrics, rows } = samplesOfRuns(
    store,
    runs.map((r) => r.id),
  );
  const ordered = [...PREFERRED.filter((m) => metrics.includes(m)), ...metrics.filter((m) => !PREFERRED.includes(m))];
  const acc = new Map<string, number[]>(); // metric \0 policy \0 cycle → values
  for (const row of rows) {
    const policy = policyOf.get(row.run as number)!;
    for (const m of ordered) {
      const v = row[m];
      if (typeof v !== 'number') continue;
      const k = `${m}\0${policy}\0${row.cycle}`;
      let a = acc.get(k);
      if (!a) {
        a = [];
        acc.set(k, a);
      }
      a.push(v);
    }
  }
  const series: SeriesPoint[] = [];
  for (const [k, vs] of acc) {
    const [metric, policy, cycle] = k.split('\0');
    const s = summarize(vs);
    const h = s.ci95 ?? 0;
    series.push({ metric, policy, cycle: Number(cycle), mean: s.mean, lo: s.mean - h, hi: s.mean + h, n: s.n });
  }
  return { metrics: ordered, series };
}

function findByPath(s: KernelState, path: string) {
  for (const m of s.memcgs.values()) if (m.path === path) return m;
  return undefined;
}

/**
 * The cgroup's LRU over time in one run, read from the state folded at every sample point:
 * MGLRU nr_pages per generation (anon + file, by age from max_seq), classic list sizes.
 */
export function lruOverTime(store: Store, run: StatRun, cgroup: string): LruPoint[] {
  const row = getRun(store, run.id);
  const every = Number((run.experiment as { sampleEvery?: number }).sampleEvery ?? 1);
  const out: LruPoint[] = [];
  const classic: [string, number][] = [
    ['inactive_anon', LRU_INACTIVE_ANON],
    ['active_anon', LRU_ACTIVE_ANON],
    ['inactive_file', LRU_INACTIVE_FILE],
    ['active_file', LRU_ACTIVE_FILE],
  ];
  foldRun(store, row, {
    observe: (e, s) => {
      if (e.type !== EventType.cycle || e.a % every !== 0) return;
      const m = findByPath(s, cgroup);
      if (!m) return;
      // every node's lruvec, added up (MGLRU: by age from each node's own max_seq)
      const lvs = s.nodes.map(({ nid }) => lruvecOf(m, nid));
      const base = { policy: run.policy, run: run.id, cycle: e.a };
      if (s.mglru) {
        const byAge = new Map<number, number>();
        for (const { lrugen: g } of lvs) {
          for (let seq = Math.min(...g.minSeq); seq <= g.maxSeq; seq++) {
            const gen = lruGenFromSeq(seq);
            const pages = Math.max(0, g.nrPages[lruGenIndex(gen, 0)]) + Math.max(0, g.nrPages[lruGenIndex(gen, 1)]);
            const age = g.maxSeq - seq;
            byAge.set(age, (byAge.get(age) ?? 0) + pages);
          }
        }
        for (const [age, pages] of [...byAge].sort((x, y) => y[0] - x[0]))
          out.push({ ...base, part: age === 0 ? 'max_seq' : `max_seq-${age}`, order: age, pages });
      } else {
        for (const [i, [name, lru]] of classic.entries())
          out.push({ ...base, part: name, order: i, pages: lvs.reduce((n, lv) => n + lv.size[lru], 0) });
      }
    },
  });
  return out;
}

/** Everything a report draws, for runs that compare (same experiment but policy and seed). */
export function reportData(store: Store, runs: StatRun[], cgroup: string, baseline?: string): ReportData {
  const stats = compareStats(runs, baseline);
  const { metrics, series } = seriesOf(store, runs);
  // the LRU picture of one run per policy: its first seed's
  const lru = [...groupByPolicy(runs).values()].flatMap((rs) => lruOverTime(store, rs[0], cgroup));
  return { title: String(runs[0].experiment.name), runs, stats, sampleMetrics: metrics, series, cgroup, lru };
}
