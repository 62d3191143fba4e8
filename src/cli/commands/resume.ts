import type { Command } from 'commander';
import { addDbOption, parseRunId, withStore } from '../common.js';
import { printJson } from '../output.js';
import { Progress } from '../progress.js';

export function registerResume(program: Command): void {
  const cmd = program
    .command('resume')
    .description('continue an interrupted run from its last snapshot; ends as the uninterrupted run would have')
    .argument('<run>', 'run id')
    .option('--check', 'check every kernel invariant after every event (slow; for small runs)')
    .option('--json', 'print one JSON object (as run --json)');
  addDbOption(cmd).action(async (id: string, opts) => {
    const runId = parseRunId(id);
    const { resumeRun } = await import('../../lab/resume.js');
    const { printRunResult } = await import('../print_run.js');
    const progress = new Progress(`resume run ${runId}: cycle`, opts.json);
    const res = await withStore(opts, false, (store) =>
      resumeRun(store, runId, {
        checkInvariants: !!opts.check,
        repro: `memcglab resume ${runId}`,
        onProgress: (d, t) => progress.update(d, t),
      }),
    );
    progress.done();
    if (opts.json) return printJson(res);
    printRunResult(`run ${res.runId} resumed and done`, res);
  });
}
