import type { Command } from 'commander';
import { addDbOption, parseRunId, withStore } from '../common.js';
import { printJson } from '../output.js';
import { addTargetOptions, parseTarget } from '../target.js';

const FILES_HELP = `
Files (in every cgroup directory unless noted):
  memory.current                bytes charged to the cgroup and its descendants (not in the root)
  memory.stat                   hierarchical stats, the keys the model has (also in the root)
  memory.numa_stat              the node items of memory.stat per node: N0 … N<nodes-1>
                                (machine.nodes); kernel_stack, pagetables, sec_pagetables, *_thp,
                                slab_*, hugetlb, workingset_nodereclaim, pgdemote_*, pgpromote_success
                                are not modelled and left out (also in the root)
  memory.max, memory.high,      bytes or max (not in the root)
  memory.min, memory.low
  memory.events(.local)         low high max oom oom_kill oom_group_kill (not in the root)
  cgroup.stat                   nr_descendants nr_dying_descendants
  /sys/kernel/debug/lru_gen     MGLRU generations of every memcg (a whole path; MGLRU runs only)
memory.pressure and the other PSI files are not modelled.

--json prints {runId, seq, tick, cycle, path, cgroup, memcg, file, content}: content is the
file as data, with the kernel's key names and the same values as the text:
  memory.current                a number (bytes)
  memory.max/high/min/low       a number (bytes) or "max"
  memory.stat, memory.events,   {key: value}
  cgroup.stat
  memory.numa_stat              {key: {"N0": value}}
  lru_gen                       [{memcg, path, nodes: [{node, gens: [{seq, age_ms, anon, file}]}]}]
`;

export function registerCat(program: Command): void {
  const cmd = program
    .command('cat')
    .description(
      'print a kernel file of a cgroup as the kernel would, at any point of a run (memory.stat, memory.numa_stat, memory.current, memory.max/high/min/low, memory.events, cgroup.stat, /sys/kernel/debug/lru_gen)',
    )
    .argument('<run>', 'run id')
    .argument('<file>', 'cgroup path and file, e.g. /system.slice/memory.stat')
    .addHelpText('after', FILES_HELP);
  addTargetOptions(cmd).option('--json', 'print the file as one JSON object (keys above)');
  addDbOption(cmd).action(async (id: string, file: string, opts) => {
    const runId = parseRunId(id);
    const target = parseTarget(opts);
    const { replayState } = await import('../../lab/replay.js');
    const { getRun } = await import('../../lab/runs.js');
    const { storedExperiment } = await import('../../lab/experiment.js');
    const { readPath } = await import('../../views/index.js');
    const { s, read } = await withStore(opts, true, (store) => {
      const exp = storedExperiment(getRun(store, runId));
      const s = replayState(store, runId, target);
      return { s, read: readPath(s, file, { msPerTick: exp.machine.msPerTick ?? 1 }) };
    });
    if (!opts.json) {
      process.stdout.write(read.text);
      return;
    }
    printJson({
      runId,
      seq: s.seq,
      tick: s.tick,
      cycle: s.cycle,
      path: file,
      cgroup: read.cgroup?.path ?? null,
      memcg: read.cgroup?.memcg ?? null,
      file: read.file,
      content: read.content,
    });
  });
}
