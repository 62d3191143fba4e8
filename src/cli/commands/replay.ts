import type { Command } from 'commander';
import { addDbOption, parseRunId, withStore } from '../common.js';
import { printJson, table } from '../output.js';
import { addHumanOption } from '../run_options.js';
import { addTargetOptions, parseTarget } from '../target.js';

export function registerReplay(program: Command): void {
  const cmd = program
    .command('replay')
    .description("rebuild a run's kernel state from its event log (nearest snapshot + the events after it), as of any event, tick or cycle")
    .argument('<run>', 'run id');
  addTargetOptions(cmd).option('--json', 'print one JSON object');
  addHumanOption(cmd);
  addDbOption(cmd).action(async (id: string, opts) => {
    const runId = parseRunId(id);
    const target = parseTarget(opts);
    const { replayState, summarize } = await import('../../lab/replay.js');
    const { formatBytes } = await import('../../lab/sizes.js');
    const sum = await withStore(opts, true, (store) => summarize(store, runId, replayState(store, runId, target)));
    if (opts.json) return printJson(sum);
    const live = sum.memcgs.filter((m) => m.state !== 'freed');
    const g = sum.memcg_get;
    process.stdout.write(
      `run ${runId} at seq ${sum.seq}, tick ${sum.tick}, after cycle ${sum.cycle}\n` +
        `state ${sum.stateHash}\nnr_dying_descendants ${sum.nr_dying}, ${sum.memcgs.length - live.length} freed memcgs\n` +
        (g
          ? `get_mem_cgroup_from_folio(folio ${g.folio}) in progress: ${g.held ? `holds memcg ${g.memcg}` : `css_tryget on memcg ${g.memcg} failed ${g.retries} times (bound ${g.bound})`}\n`
          : '') +
        '\n' +
        table(
          ['id', 'path', 'state', 'memory.current'],
          live.map((m) => [m.id, m.path, m.state, opts.human ? formatBytes(m.current) : m.current]),
          [true, false, false, true],
        ),
    );
    const queues = sum.splitQueues?.filter((q) => q.len || q.folios.length || q.reparented) ?? [];
    if (queues.length) {
      const path = (id: number) => sum.memcgs.find((m) => m.id === id)?.path ?? '(freed)';
      process.stdout.write(
        `\ndeferred split queues (memcg->deferred_split_queue)\n` +
          table(
            ['id', 'path', 'split_queue_len', 'folios', 'reparented'],
            queues.map((q) => [q.memcg, path(q.memcg), q.len, q.folios.join(' ') || '-', q.reparented ? 'yes' : 'no']),
            [true, false, true, false, false],
          ),
      );
    }
  });
}
