import type { Command } from 'commander';
import { addDbOption, parseRunId, withStore } from '../common.js';
import { addTargetOptions, parseTarget } from '../target.js';

export function registerCat(program: Command): void {
  const cmd = program
    .command('cat')
    .description(
      'print a kernel file of a cgroup as the kernel would, at any point of a run (memory.current, memory.stat, cgroup.stat, /sys/kernel/debug/lru_gen)',
    )
    .argument('<run>', 'run id')
    .argument('<file>', 'cgroup path and file, e.g. /system.slice/memory.stat');
  addTargetOptions(cmd);
  addDbOption(cmd).action(async (id: string, file: string, opts) => {
    const runId = parseRunId(id);
    const target = parseTarget(opts);
    const { replayState } = await import('../../lab/replay.js');
    const { getRun } = await import('../../lab/runs.js');
    const { storedExperiment } = await import('../../lab/experiment.js');
    const { renderPath } = await import('../../views/index.js');
    const text = await withStore(opts, true, (store) => {
      const exp = storedExperiment(getRun(store, runId));
      return renderPath(replayState(store, runId, target), file, { msPerTick: exp.machine.msPerTick ?? 1 });
    });
    process.stdout.write(text);
  });
}
