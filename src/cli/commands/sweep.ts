import type { Command } from 'commander';
import { MGLRU_REPARENT_MODES, POLICY_NAMES } from '../../policy/reparent/names.js';
import { addDbOption, collect } from '../common.js';
import { addLabelOptions } from '../run_options.js';

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
    .option(
      '--jobs <n>',
      'cores: 1 runs one worker on one thread; 2k runs k workers, each writing its logs on a second thread (default: $MEMCGLAB_JOBS, else the number of cores)',
    )
    .option('--resume <sweep>', 'run what a killed sweep left undone (interrupted runs resume from their last snapshot)')
    .option(
      '--shard <i/N>',
      'run shard i (0..N-1) of N of the matrix, into its own database (default: from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)',
    )
    .option('--json', 'print one JSON object: the sweep, its cells, and its runs (the run object show --json prints)');
  addLabelOptions(cmd, 'sweep and each of its runs');
  cmd.addHelpText(
    'after',
    '\nCells are expanded in a fixed order: the --set axes as given (the first outermost, values in order), ' +
      'then the policies as given, then the seeds. Run ids follow that order.\n\n' +
      'Shards: --shard i/N runs the cells whose sha256(policy, seed, --set values) is i modulo N (adding a seed moves no ' +
      'other run). Without --shard, a Slurm array task is shard (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) / ' +
      'SLURM_ARRAY_TASK_STEP of SLURM_ARRAY_TASK_COUNT, and a Kubernetes Indexed Job pod shard JOB_COMPLETION_INDEX of ' +
      "MEMCGLAB_SHARD_COUNT (set it to the Job's completions). A shard writes --db, or memcglab.shard-i-of-N.db next to " +
      'the default database; run again, it resumes its sweep. Bring the shards together with: memcglab merge … --into all.db',
  );
  addDbOption(cmd).action(async (file: string | undefined, opts) => (await import('./sweep_action.js')).sweepAction(file, opts));
}
