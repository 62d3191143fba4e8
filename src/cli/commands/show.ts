import type { Command } from 'commander';
import { addDbOption, parseRunId, withStore } from '../common.js';
import { escapeControl } from '../escape.js';
import { metricsTable, printJson } from '../output.js';

export function registerShow(program: Command): void {
  const cmd = program
    .command('show')
    .description('show one run: its experiment, status and final metrics')
    .argument('<run>', 'run id')
    .option('--json', 'print one JSON object');
  addDbOption(cmd).action(async (id: string, opts) => {
    const runId = parseRunId(id);
    const { effectiveStatus, getRun, storedExperimentJson, storedMetrics } = await import('../../lab/runs.js');
    const { METRIC_NAMES } = await import('../../lab/metrics.js');
    const r = await withStore(opts, true, (store) => getRun(store, runId));
    const out = {
      id: r.id,
      name: r.name,
      policy: r.policy,
      lru: r.lru,
      seed: r.seed,
      status: effectiveStatus(r),
      error: r.error,
      events: r.events,
      cycles: r.cycles,
      stateHash: r.stateHash,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      codeVersion: r.codeVersion,
      schemaVersion: r.schemaVersion,
      metrics: storedMetrics(r),
      experiment: storedExperimentJson(r),
    };
    if (opts.json) return printJson(out);
    let text =
      `run ${out.id}: ${out.name}\n  policy ${out.policy}, ${out.lru} LRU, seed ${out.seed}\n` +
      `  status ${out.status}${out.error ? ` (${out.error})` : ''}\n  ${out.events} events, ${out.cycles} cycles\n` +
      `  state ${out.stateHash ?? '-'}\n  started ${out.startedAt}, finished ${out.finishedAt ?? '-'} (memcglab ${out.codeVersion})\n`;
    if (out.metrics) text += `\n${metricsTable(out.metrics, METRIC_NAMES)}`;
    text += `\nexperiment: ${JSON.stringify(out.experiment)}\n`;
    process.stdout.write(escapeControl(text, true));
  });
}
