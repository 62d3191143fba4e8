import { LabError } from '../../errors.js';
import { type CompareEntry, compareTable } from '../../lab/compare.js';
import { compareStats, groupByPolicy, mismatch, type StatRun, statRunsByIds, statRunsOfSweep } from '../../lab/compare_stats.js';
import { workloadKind } from '../../lab/experiment.js';
import { underPolicies } from '../../lab/matrix.js';
import { prepareExperiment } from '../../lab/prepare.js';
import { runViews } from '../../lab/run_view.js';
import { planLoneRuns } from '../../lab/sweep.js';
import { resolvePolicyAlias } from '../../policy/policies.js';
import { closeStore, openStore } from '../../store/db.js';
import { runsByIds } from '../../store/sweeps.js';
import { dbPath, parseIntArg, parseRunList, withStore } from '../common.js';
import { escapeControl } from '../escape.js';
import { metricCell, printJson, table } from '../output.js';
import { failures, parseJobs, runParallel } from '../parallel.js';
import { statsCsv, statsTable } from '../stats_output.js';

export async function compareAction(file: string | undefined, opts: CompareOpts): Promise<void> {
  if (opts.runs !== undefined || opts.sweep !== undefined) {
    if (file !== undefined)
      throw new LabError(
        `compare --runs/--sweep takes no experiment file or other argument (got ${file}); list the runs in --runs, e.g. --runs 1,2`,
      );
    return compareFinished(opts);
  }
  const entries = await runPolicies(file, opts);
  if (opts.json) return printJson({ runs: entries });
  process.stdout.write(sideBySide(entries, !!opts.human));
}

/** One run per column, metrics as rows. */
function sideBySide(entries: CompareEntry[], human: boolean): string {
  const { headers, rows } = compareTable(entries);
  return table(
    headers,
    rows.map(([k, ...vs]) => [k, ...vs.map((v) => metricCell(k, v, human))]),
    headers.map((_, i) => i > 0),
  );
}

/** The options commander parses for compare. */
interface CompareOpts {
  db?: string;
  policies: string;
  runs?: string;
  sweep?: string;
  where: string[];
  baseline?: string;
  force?: boolean;
  seed?: string;
  set: string[];
  jobs?: string;
  csv?: boolean;
  json?: boolean;
  human?: boolean;
  maxEvents?: string;
}

/** Run the experiment under each policy (same seed), on worker processes. */
async function runPolicies(file: string | undefined, opts: CompareOpts): Promise<CompareEntry[]> {
  const policies = String(opts.policies)
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (!policies.length) throw new LabError('--policies is empty; e.g. --policies legacy,same-gen,tail,age-order');
  for (const p of policies) resolvePolicyAlias(p);
  const jobs = parseJobs(opts.jobs);
  const { exp, file: path } = prepareExperiment({
    file,
    seed: parseIntArg('--seed', opts.seed),
    set: opts.set,
    maxEvents: parseIntArg('--max-events', opts.maxEvents, 1),
  });
  const exps = underPolicies(exp, policies);
  if (!opts.json)
    process.stdout.write(
      `${escapeControl(exp.name)}: ${workloadKind(exp.workload).describe(exp.workload)}, ${exp.machine.lru} LRU, seed ${exp.seed}\n`,
    );
  const store = openStore(dbPath(opts));
  try {
    const cells = policies.map((policy, index) => ({ index, policy, seed: exp.seed, sets: [], exp: exps[index] }));
    const planned = planLoneRuns(store, cells);
    const outcomes = await runParallel(store, planned, path, opts.set, jobs, !!opts.json, 'compare');
    const bad = failures(planned, outcomes);
    if (bad) throw new LabError(bad);
    return runViews(
      store,
      runsByIds(
        store,
        planned.map((p) => p.runId),
      ),
    ) as CompareEntry[];
  } finally {
    closeStore(store);
  }
}

async function compareFinished(opts: CompareOpts): Promise<void> {
  if (opts.runs && opts.sweep) throw new LabError('give --runs or --sweep, not both');
  const runs: StatRun[] = await withStore(opts, true, (store) =>
    opts.sweep
      ? statRunsOfSweep(store, parseIntArg('--sweep', opts.sweep)!, opts.where)
      : statRunsByIds(store, parseRunList(String(opts.runs))),
  );
  const bad = mismatch(runs);
  if (bad && !opts.force) {
    throw new LabError(
      `${bad}; compare runs of one experiment${opts.sweep ? ' (pick a slice with --where path=value)' : ''}, or pass --force`,
    );
  }
  if (bad) process.stderr.write(`memcglab: warning: ${bad}\n`);
  const oneEach = [...groupByPolicy(runs).values()].every((g) => g.length === 1);
  if (oneEach && !opts.sweep && !opts.csv) {
    // one run per policy: the side-by-side table (no statistics to speak of)
    if (opts.json) return printJson({ runs });
    const names = runs.map((e) => `run ${e.id}: ${escapeControl(e.name)}, ${e.policy}, ${e.lru} LRU, seed ${e.seed}\n`).join('');
    process.stdout.write(names + sideBySide(runs, !!opts.human));
    return;
  }
  const stats = compareStats(runs, opts.baseline);
  if (opts.json) return printJson({ ...stats, runs });
  if (opts.csv) return void process.stdout.write(statsCsv(stats));
  process.stdout.write(statsTable(stats, runs[0].experiment, !!opts.human));
}
