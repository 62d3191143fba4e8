import type { Command } from 'commander';
import { LabError } from '../../errors.js';
import { loadExperimentFile } from '../../lab/experiment.js';
import { type Matrix, parseSeeds, parseSets } from '../../lab/matrix.js';
import { getRun } from '../../lab/runs.js';
import { createSweep, planResume, type SweepPlan } from '../../lab/sweep.js';
import { resolveTracePath } from '../../lab/trace_file.js';
import { defaultExperimentPath } from '../../lab/version.js';
import { MGLRU_REPARENT_MODES, POLICY_NAMES } from '../../policy/policies.js';
import { closeStore, openStore } from '../../store/db.js';
import { addDbOption, collect, dbPath, parseIntArg } from '../common.js';
import { escapeControl } from '../escape.js';
import { printJson, table } from '../output.js';
import { failures, parseJobs, runParallel } from '../parallel.js';

export function registerSweep(program: Command): void {
  const cmd = program
    .command('sweep')
    .description('run an experiment over policies × seeds × --set values on worker processes, as one sweep')
    .argument('[experiment]', 'experiment JSON file (default: experiments/default.json)')
    .option(
      '--policies <list>',
      `comma-separated: ${POLICY_NAMES.join(', ')}, or an MGLRU reparent mode (${MGLRU_REPARENT_MODES.join(', ')})`,
      'legacy,reparent',
    )
    .option('--seeds <list>', 'seeds: N, A..B, or a comma-separated list of them', '1..3')
    .option('--set <path=v1,v2,…>', 'override a field; several comma-separated values make an axis of the matrix (repeatable)', collect, [])
    .option('--jobs <n>', 'worker processes (default: the number of cores)')
    .option('--name <name>', "the sweep's name (default: the experiment's)")
    .option('--resume <sweep>', 'run what a killed sweep left undone (interrupted runs resume from their last snapshot)')
    .option('--json', 'print one JSON object');
  cmd.addHelpText(
    'after',
    '\nCells are expanded in a fixed order: the --set axes as given (the first outermost, values in order), ' +
      'then the policies as given, then the seeds. Run ids follow that order.',
  );
  addDbOption(cmd).action(async (file: string | undefined, opts) => {
    const jobs = parseJobs(opts.jobs);
    const store = openStore(dbPath(opts));
    try {
      const t0 = Date.now();
      const plan = opts.resume !== undefined ? planResume(store, parseIntArg('--resume', opts.resume)!) : newSweep(store, file, opts);
      const label = `sweep ${plan.sweep.id}`;
      const outcomes = await runParallel(store, plan.todo, plan.matrix.file, plan.matrix.base, jobs, !!opts.json, label);
      const secs = (Date.now() - t0) / 1000;
      report(store, plan, opts.json, secs, Math.min(jobs, plan.todo.length));
      const bad = failures(plan.todo, outcomes);
      if (bad) throw new LabError(`${bad}; run them again with: memcglab sweep --resume ${plan.sweep.id} --db ${store.path}`);
    } finally {
      closeStore(store);
    }
  });
}

function newSweep(store: ReturnType<typeof openStore>, file: string | undefined, opts: Record<string, unknown>): SweepPlan {
  const path = file ?? defaultExperimentPath();
  const policies = String(opts.policies)
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (!policies.length) throw new LabError('--policies is empty; e.g. --policies legacy,same-gen,tail,age-order');
  const { base, axes } = parseSets(opts.set as string[]);
  const raw = resolveTracePath(loadExperimentFile(path), path); // a trace from any directory on --resume
  const matrix: Matrix = { file: path, raw, base, policies, seeds: parseSeeds(String(opts.seeds)), axes };
  const name = (opts.name as string | undefined) ?? String((raw as { name?: unknown })?.name ?? 'sweep');
  return createSweep(store, name, matrix);
}

function report(store: ReturnType<typeof openStore>, plan: SweepPlan, json: boolean, secs: number, workers: number): void {
  // the outcome of every cell, read back from the database (a resumed sweep includes earlier runs)
  const rows = plan.cells.map(({ cell, runId }) => {
    const r = getRun(store, runId);
    return {
      cell: cell.index,
      runId,
      policy: cell.policy,
      seed: cell.seed,
      set: cell.sets,
      status: r.status,
      events: r.events,
      stateHash: r.stateHash,
    };
  });
  const m = plan.matrix;
  const shape = [...m.axes.map((a) => `${a.values.length} ${a.path}`), `${m.policies.length} policies`, `${m.seeds.length} seeds`].join(
    ' × ',
  );
  if (json)
    return printJson({ sweep: plan.sweep.id, name: plan.sweep.name, experiment: m.file, seconds: secs, ran: plan.todo.length, runs: rows });
  const done = rows.filter((r) => r.status === 'done').length;
  process.stdout.write(
    `sweep ${plan.sweep.id}: ${escapeControl(plan.sweep.name)} (${escapeControl(m.file)}), ${rows.length} runs = ${shape}\n` +
      table(
        ['cell', 'run', 'policy', 'seed', ...(m.axes.length ? ['set'] : []), 'status', 'events', 'state'],
        rows.map((r) => [
          r.cell,
          r.runId,
          r.policy,
          r.seed,
          ...(m.axes.length ? [r.set.join(' ')] : []),
          r.status,
          r.events,
          r.stateHash?.slice(0, 16) ?? '-',
        ]),
      ) +
      `${plan.todo.length} runs ran in ${secs.toFixed(1)} s on ${workers} worker${workers === 1 ? '' : 's'}; ${done}/${rows.length} done. ` +
      `Compare with: memcglab compare --sweep ${plan.sweep.id}\n`,
  );
}
