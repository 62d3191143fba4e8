import type { Command } from 'commander';
import type { RunView } from '../../lab/run_view.js';
import { addDbOption, parseRunId, withStore } from '../common.js';
import { escapeControl } from '../escape.js';
import { dyingTable, metricsTable, printJson } from '../output.js';
import { addHumanOption } from '../run_options.js';

export function registerShow(program: Command): void {
  const cmd = program
    .command('show')
    .description('show one run: its name, policy, status, labels, final metrics and experiment')
    .argument('<run>', 'run id')
    .option('--json', 'print one JSON object (the run object every command prints)');
  addHumanOption(cmd);
  addDbOption(cmd).action(async (id: string, opts) => {
    const runId = parseRunId(id);
    const { getRun } = await import('../../lab/runs.js');
    const { runViews } = await import('../../lab/run_view.js');
    const { METRIC_NAMES } = await import('../../lab/metrics.js');
    const r = await withStore(opts, true, (store) => runViews(store, [getRun(store, runId)])[0]);
    if (opts.json) return printJson(r);
    let text = describeRun(r);
    if (r.metrics) text += `\n${metricsTable(r.metrics, METRIC_NAMES, !!opts.human)}`;
    if (r.dying) text += `\n${dyingTable(r.dying, !!opts.human)}`;
    text += '\nexperiment, as run (each line works as --set path=value):\n';
    text += flatten(r.experiment ?? {})
      .map(([k, v]) => `  ${k}=${v}\n`)
      .join('');
    process.stdout.write(escapeControl(text, true));
  });
}

/** The run's head lines: what it is, how it ended, its labels. */
function describeRun(r: RunView): string {
  const lines = [
    `run ${r.id}: ${r.name}`,
    `  experiment ${String(r.experiment?.name ?? '-')}, ${r.lru} LRU, policy ${r.policy}, seed ${r.seed}`,
    `  status     ${r.status}${r.error ? ` (${r.error})` : ''}`,
    `  events     ${r.events} in ${r.cycles} cycles, state ${r.stateHash ?? '-'}`,
    `  started    ${r.startedAt}, finished ${r.finishedAt ?? '-'} (memcglab ${r.codeVersion}, event schema ${r.schemaVersion})`,
  ];
  if (r.sweep !== null) lines.push(`  sweep      ${r.sweep}, cell ${r.cell}`);
  const tags = Object.entries(r.tags);
  if (tags.length) lines.push(`  tags       ${tags.map(([k, v]) => `${k}=${v}`).join(' ')}`);
  if (r.note) lines.push(`  note       ${r.note}`);
  return `${lines.join('\n')}\n`;
}

/** path=value leaves of a JSON object, in its key order (values as --set takes them: JSON). */
function flatten(o: unknown, path = ''): [string, string][] {
  if (o && typeof o === 'object' && !Array.isArray(o) && Object.keys(o).length) {
    return Object.entries(o).flatMap(([k, v]) => flatten(v, path ? `${path}.${k}` : k));
  }
  return [[path, JSON.stringify(o)]];
}
