import type { Command } from 'commander';
import type { Experiment } from '../../lab/experiment.js';
import { replayState } from '../../lab/replay.js';
import { getRun } from '../../lab/runs.js';
import { renderPath, VIEWS } from '../../views/index.js';
import { addDbOption, parseRunId, withStore } from '../common.js';
import { addTargetOptions, parseTarget } from '../target.js';

export function registerCat(program: Command): void {
  const cmd = program
    .command('cat')
    .description(`print a kernel file of a cgroup as the kernel would, at any point of a run (${Object.keys(VIEWS).join(', ')})`)
    .argument('<run>', 'run id')
    .argument('<file>', 'cgroup path and file, e.g. /system.slice/memory.stat');
  addTargetOptions(cmd);
  addDbOption(cmd).action((id: string, file: string, opts) => {
    const runId = parseRunId(id);
    const text = withStore(opts, true, (store) => {
      const exp = JSON.parse(getRun(store, runId).experiment) as Experiment;
      return renderPath(replayState(store, runId, parseTarget(opts)), file, { msPerTick: exp.machine.msPerTick ?? 1 });
    });
    process.stdout.write(text);
  });
}
