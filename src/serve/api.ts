import { parsePoint } from '../cli/commands/diff.js';
import { parseRunList } from '../cli/common.js';
import { parseTag } from '../cli/run_options.js';
import { compareTable } from '../lab/compare.js';
import { compareStats, groupByPolicy, mismatch, type StatRun, statRunsByIds, statRunsOfSweep } from '../lab/compare_stats.js';
import { diffRun } from '../lab/diff_run.js';
import { checkPolicyQuery } from '../lab/policy_label.js';
import type { ReplayTarget } from '../lab/replay.js';
import { checkStatus, listRuns } from '../lab/run_list.js';
import { runViews } from '../lab/run_view.js';
import type { Store } from '../store/db.js';
import { samplesOfRuns } from '../store/report.js';
import { findRun } from '../store/runs.js';
import { listSweeps } from '../store/serve.js';
import { readPath } from '../views/index.js';
import { eventCode, eventsNear, eventTypeNames, folioStory } from './events.js';
import { HttpError, Query } from './http.js';
import { PointCache } from './point.js';
import { timelineCharts } from './timeline.js';
import { cgroupAt, treeAt } from './tree.js';

/** What a handler answers: JSON, or a page of HTML (the report). */
export type Answer = { json: unknown } | { html: string };

type Handler = (m: string[], q: Query) => Answer | Promise<Answer>;

/** The API: GET only, over a read-only store. Each route is a path pattern and a handler. */
export class Api {
  private readonly points: PointCache;
  private readonly routes: [RegExp, string, Handler][];

  constructor(private readonly store: Store) {
    this.points = new PointCache(store);
    const run = (h: (id: number, m: string[], q: Query) => Answer | Promise<Answer>): Handler => {
      return (m, q) => h(this.runId(m[1]), m, q);
    };
    this.routes = [
      [/^\/api\/runs$/, 'runs', (_m, q) => ({ json: this.runs(q) })],
      [/^\/api\/sweeps$/, 'sweeps', () => ({ json: listSweeps(this.store) })],
      [/^\/api\/event-types$/, 'event types', () => ({ json: eventTypeNames() })],
      [/^\/api\/compare$/, 'compare', (_m, q) => ({ json: this.compare(q) })],
      [/^\/api\/report$/, 'report', (_m, q) => this.report(q)],
      [/^\/api\/runs\/([^/]+)$/, 'run', run((id) => ({ json: this.run(id) }))],
      [/^\/api\/runs\/([^/]+)\/samples$/, 'samples', run((id) => ({ json: samplesOfRuns(this.store, [id]) }))],
      [/^\/api\/runs\/([^/]+)\/charts$/, 'charts', run((id) => ({ json: timelineCharts(this.store, id) }))],
      [/^\/api\/runs\/([^/]+)\/tree$/, 'tree', run((id, _m, q) => ({ json: treeAt(this.store, this.at(id, q), q.flag('hash')) }))],
      [
        /^\/api\/runs\/([^/]+)\/cgroups\/([^/]+)$/,
        'cgroup',
        run((id, m, q) => ({ json: cgroupAt(this.store, this.at(id, q), this.int('memcg', m[2])) })),
      ],
      [/^\/api\/runs\/([^/]+)\/cat$/, 'cat', run((id, _m, q) => ({ json: this.cat(id, q) }))],
      [/^\/api\/runs\/([^/]+)\/diff$/, 'diff', run((id, _m, q) => ({ json: this.diff(id, q) }))],
      [/^\/api\/runs\/([^/]+)\/events$/, 'events', run((id, _m, q) => ({ json: this.events(id, q) }))],
      [/^\/api\/runs\/([^/]+)\/folios\/([^/]+)$/, 'folio', run((id, m, q) => ({ json: this.folio(id, this.int('folio', m[2]), q) }))],
    ];
  }

  /** Answer one GET of an /api/ path; throws HttpError (or LabError) for a bad request. */
  async handle(path: string, params: URLSearchParams): Promise<Answer> {
    for (const [re, name, h] of this.routes) {
      const m = re.exec(path);
      if (!m) continue;
      const q = new Query(params, `${name} (${path})`);
      const out = await h(m, q);
      q.done();
      return out;
    }
    throw new HttpError(404, `no API path ${path.slice(0, 80)}; paths: ${API_PATHS}`);
  }

  private int(what: string, v: string): number {
    const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 1) throw new HttpError(400, `${what} must be a positive integer (got '${v.slice(0, 40)}')`);
    return n;
  }

  private runId(v: string): number {
    const id = this.int('run id', v);
    if (!findRun(this.store, id)) throw new HttpError(404, `no run ${id} in ${this.store.path}; the runs are listed at /api/runs`);
    return id;
  }

  /** The point a request names: seq, tick or cycle (one of them; none: the end of the log). */
  private at(id: number, q: Query) {
    const target: ReplayTarget = { seq: q.int('seq'), tick: q.int('tick'), cycle: q.int('cycle') };
    const given = (['seq', 'tick', 'cycle'] as const).filter((k) => target[k] !== undefined);
    if (given.length > 1) throw new HttpError(400, `give one of seq, tick, cycle (got ${given.join(' and ')})`);
    return this.points.at(id, target, given.length ? `${given[0]}=${target[given[0]]}` : undefined);
  }

  private runs(q: Query) {
    const tags = q.list('tag').map((t) => parseTag(t, true));
    const page = listRuns(this.store, {
      name: q.str('name') || undefined,
      experiment: q.str('experiment') || undefined,
      policy: q.str('policy') ? checkPolicyQuery('policy', q.str('policy')!) : undefined,
      status: q.str('status') ? checkStatus(q.str('status')!) : undefined,
      sweep: q.int('sweep', 1),
      tags,
      limit: q.int('limit', 1),
      offset: q.int('offset'),
    });
    return page;
  }

  private run(id: number) {
    const [view] = runViews(this.store, [findRun(this.store, id)!]);
    const end = this.points.end(id);
    return { ...view, endSeq: end.seq, endTick: end.tick };
  }

  private cat(id: number, q: Query) {
    const path = q.str('path');
    if (!path) throw new HttpError(400, 'cat needs path=<cgroup path>/<file>, e.g. path=/system.slice/memory.stat');
    const p = this.at(id, q);
    const read = readPath(p.s, path, { msPerTick: p.msPerTick });
    const s = p.s;
    return {
      runId: id,
      seq: s.seq,
      tick: s.tick,
      cycle: s.cycle,
      path,
      cgroup: read.cgroup?.path ?? null,
      memcg: read.cgroup?.memcg ?? null,
      file: read.file,
      content: read.content,
      text: read.text,
    };
  }

  private diff(id: number, q: Query) {
    const from = parsePoint('from', q.str('from') ?? '');
    const to = parsePoint('to', q.str('to') ?? 'end');
    const cgroup = q.str('cgroup') || undefined;
    return diffRun(this.store, id, from, to, {
      cgroup,
      recursive: q.flag('recursive'),
      all: q.flag('all'),
      values: q.flag('local') ? 'local' : 'hierarchical',
    });
  }

  private events(id: number, q: Query) {
    const end = this.points.end(id).seq;
    const seq = q.int('seq') ?? end;
    const limit = q.int('limit', 1, 1000) ?? 30;
    const type = q.str('type') || undefined;
    const code = type === undefined ? undefined : eventCode(type);
    if (type !== undefined && code === undefined)
      throw new HttpError(400, `events: no event type '${type.slice(0, 40)}'; the types are listed at /api/event-types`);
    return eventsNear(this.store, id, seq, limit, { type: code, memcg: q.int('memcg'), folio: q.int('folio') });
  }

  private folio(id: number, folio: number, q: Query) {
    const end = this.points.end(id).seq;
    return folioStory(this.store, id, folio, q.int('seq') ?? end, end);
  }

  /** Finished runs that compare, by ids or a sweep; runs of different experiments only with force. */
  private statRuns(q: Query): StatRun[] {
    const ids = q.str('runs');
    const sweep = q.int('sweep', 1);
    if ((ids === undefined) === (sweep === undefined))
      throw new HttpError(400, 'give runs=<id,id,…> or sweep=<id> (one of them), e.g. /api/compare?runs=1,2');
    const runs = sweep !== undefined ? statRunsOfSweep(this.store, sweep) : statRunsByIds(this.store, parseRunList(ids!, 'runs'));
    const bad = mismatch(runs);
    if (bad && !q.flag('force')) throw new HttpError(400, `${bad}; compare runs of one experiment, or add force=1`);
    return runs;
  }

  private compare(q: Query) {
    const runs = this.statRuns(q);
    const baseline = q.str('baseline') || undefined;
    const oneEach = [...groupByPolicy(runs).values()].every((g) => g.length === 1);
    return { runs, table: oneEach ? compareTable(runs) : null, stats: compareStats(runs, baseline) };
  }

  private async report(q: Query): Promise<Answer> {
    const runs = this.statRuns(q);
    const cgroup = q.str('cgroup') || '/system.slice';
    // Vega and Vega-Lite load only here, as in `memcglab report`
    const { buildReport } = await import('../lab/report.js');
    const { html } = await buildReport(this.store, runs, {
      cgroup,
      source: `runs ${runs.map((r) => r.id).join(', ')} of ${this.store.path}`,
    });
    return { html };
  }
}

const API_PATHS =
  '/api/runs, /api/sweeps, /api/event-types, /api/compare, /api/report, /api/runs/<id>, /api/runs/<id>/{samples,charts,tree,cat,diff,events}, ' +
  '/api/runs/<id>/cgroups/<memcg>, /api/runs/<id>/folios/<folio>';
