import type { OptionValues } from 'commander';
import { LabError } from '../../errors.js';
import { loadExperimentFile } from '../../lab/experiment.js';
import { type JobPlan, planJobs } from '../../lab/jobs.js';
import { type Matrix, parseSeeds, parseSets } from '../../lab/matrix.js';
import { runViews } from '../../lab/run_view.js';
import { parseShard, type Shard, shardDbPath, shardFromEnv, shardLabel } from '../../lab/shards.js';
import { createSweep, findSameSweep, planResume, type SweepPlan } from '../../lab/sweep.js';
import { resolveTracePath } from '../../lab/trace_file.js';
import { defaultExperimentPath } from '../../lab/version.js';
import { closeStore, openStore } from '../../store/db.js';
import { runsByIds } from '../../store/sweeps.js';
import { sweepTagsOf } from '../../store/tags.js';
import { dbPath, defaultDbPath, parseIntArg } from '../common.js';
import { escapeControl } from '../escape.js';
import { printJson, table } from '../output.js';
import { failures, parseJobs, runParallel } from '../parallel.js';
import { parseLabels } from '../run_options.js';

export async function sweepAction(file: string | undefined, opts: OptionValues): Promise<void> {
  const jobs = parseJobs(opts.jobs);
  if (opts.resume !== undefined && (opts.name !== undefined || opts.tag.length || opts.note !== undefined))
    throw new LabError("sweep --resume keeps the sweep's name, tags and note; --name, --tag and --note are for a new sweep");
  if (opts.resume !== undefined && opts.shard !== undefined)
    throw new LabError('sweep --resume runs the shard the sweep was made for; leave out --shard');
  // a shard (given, or the array task's) is checked before any file is opened
  const shard = opts.resume !== undefined ? undefined : opts.shard !== undefined ? parseShard(opts.shard) : shardFromEnv(process.env);
  const store = openStore(shard && opts.db === undefined ? shardDbPath(defaultDbPath(), shard) : dbPath(opts));
  try {
    const t0 = Date.now();
    const plan = opts.resume !== undefined ? planResume(store, parseIntArg('--resume', opts.resume)!) : newSweep(store, file, opts, shard);
    const label = `sweep ${plan.sweep.id}`;
    const outcomes = await runParallel(store, plan.todo, plan.matrix.file, plan.matrix.base, jobs, !!opts.json, label);
    const secs = (Date.now() - t0) / 1000;
    report(store, plan, opts.json, secs, planJobs(jobs, plan.todo.length));
    const bad = failures(plan.todo, outcomes);
    if (bad) throw new LabError(`${bad}; run them again with: memcglab sweep --resume ${plan.sweep.id} --db ${store.path}`);
  } finally {
    closeStore(store);
  }
}

function newSweep(store: ReturnType<typeof openStore>, file: string | undefined, opts: Record<string, unknown>, shard?: Shard): SweepPlan {
  const path = file ?? defaultExperimentPath();
  const policies = String(opts.policies)
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (!policies.length) throw new LabError('--policies is empty; e.g. --policies legacy,same-gen,tail,age-order');
  const { base, axes } = parseSets(opts.set as string[]);
  const raw = resolveTracePath(loadExperimentFile(path), path); // a trace from any directory on --resume
  const matrix: Matrix = { file: path, raw, base, policies, seeds: parseSeeds(String(opts.seeds)), axes, ...(shard ? { shard } : {}) };
  const labels = parseLabels(opts as { name?: string; tag?: string[]; note?: string });
  const name = labels.name ?? String((raw as { name?: unknown })?.name ?? 'sweep');
  if (shard) {
    // an array task run again (resubmitted, or after a kill) goes on with its sweep
    const same = findSameSweep(store, name, matrix);
    if (same) {
      const held = (JSON.parse(same.matrix) as Matrix).shard;
      if (held?.index !== shard.index || held?.count !== shard.count)
        throw new LabError(
          `${store.path} holds sweep ${same.id} as ${held ? `shard ${shardLabel(held)}` : 'a whole sweep'}, not shard ${shardLabel(shard)}; give each shard its own database (--db, or leave it out)`,
        );
      return planResume(store, same.id);
    }
  }
  return createSweep(store, name, matrix, labels);
}

function report(store: ReturnType<typeof openStore>, plan: SweepPlan, json: boolean, secs: number, jobs: JobPlan): void {
  // the outcome of every cell, read back from the database (a resumed sweep includes earlier runs)
  const runs = runViews(
    store,
    runsByIds(
      store,
      plan.cells.map((c) => c.runId),
    ),
  );
  const m = plan.matrix;
  const shape = [...m.axes.map((a) => `${a.values.length} ${a.path}`), `${m.policies.length} policies`, `${m.seeds.length} seeds`].join(
    ' × ',
  );
  const s = plan.sweep;
  const all = m.axes.reduce((n, a) => n * a.values.length, m.policies.length * m.seeds.length);
  const what = m.shard
    ? `shard ${shardLabel(m.shard)}: ${runs.length} of the ${all} runs of ${shape} (${store.path})`
    : `${runs.length} runs = ${shape}`;
  if (json)
    return printJson({
      id: s.id,
      name: s.name,
      experiment: m.file,
      created: s.created,
      tags: sweepTagsOf(store, s.id),
      note: s.note,
      seconds: secs,
      ...(m.shard ? { shard: m.shard } : {}),
      db: store.path,
      ran: plan.todo.length,
      cells: plan.cells.map(({ cell, runId }) => ({ cell: cell.index, run: runId, policy: cell.policy, seed: cell.seed, set: cell.sets })),
      runs,
    });
  const done = runs.filter((r) => r.status === 'done').length;
  process.stdout.write(
    `sweep ${s.id}: ${escapeControl(s.name)} (${escapeControl(m.file)}), ${escapeControl(what)}\n` +
      table(
        ['cell', 'run', 'policy', 'seed', ...(m.axes.length ? ['set'] : []), 'status', 'events', 'state'],
        plan.cells.map(({ cell }, i) => [
          cell.index,
          runs[i].id,
          runs[i].policy,
          runs[i].seed,
          ...(m.axes.length ? [cell.sets.join(' ')] : []),
          runs[i].status,
          runs[i].events,
          runs[i].stateHash?.slice(0, 16) ?? '-',
        ]),
      ) +
      `${plan.todo.length} runs ran in ${secs.toFixed(1)} s on ${jobs.workers} worker${jobs.workers === 1 ? '' : 's'}${jobs.pipeline ? ' (logs written on a second thread)' : ''}; ${done}/${runs.length} done. ` +
      (m.shard
        ? `When every shard is done, merge them with: memcglab merge <the shard databases> --into all.db\n`
        : `Compare with: memcglab compare --sweep ${plan.sweep.id}\n`),
  );
}
