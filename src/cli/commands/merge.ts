import type { Command } from 'commander';
import { LabError } from '../../errors.js';
import type { MergeReport, SourceReport } from '../../lab/merge.js';
import { escapeControl } from '../escape.js';
import { printJson } from '../output.js';
import { Progress } from '../progress.js';

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description(
      "merge the databases of a sweep's shards (sweep --shard i/N) into one: each run checked against its hash chain, idempotent",
    )
    .argument('<db...>', 'shard database files (e.g. memcglab.shard-*.db)')
    .requiredOption('--into <path>', 'the merged database (created if missing; merging into it again adds only what it lacks)')
    .option('--json', 'print one JSON object: each source, what it merged and skipped, and the merged sweeps')
    .addHelpText(
      'after',
      '\nOnly done runs are merged; running, interrupted and failed runs are named and left out (resume the shard, then merge ' +
        'it again). The same sweep in several files becomes one sweep, so compare --sweep, runs --sweep and verify work on ' +
        'the merged file as if the sweep had run on one machine. Refused: files of another schema version or holding other sweeps.',
    )
    .action(async (paths: string[], opts: { into: string; json?: boolean }) => {
      if (opts.into === '') throw new LabError('merge: --into is empty; give the merged database file, e.g. --into all.db');
      const { mergeDatabases } = await import('../../lab/merge.js');
      const progress = new Progress('merge: run', opts.json);
      let report: MergeReport;
      try {
        report = mergeDatabases(paths, opts.into, (d, t) => progress.update(d, t));
      } finally {
        progress.done();
      }
      if (opts.json) printJson(report);
      else process.stdout.write(describe(report));
      const bad = report.sources.reduce((n, s) => n + s.conflicts.length + s.unchecked.length, 0);
      if (bad) process.exitCode = 1;
    });
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const count = (n: number) => n.toLocaleString('en-US');

/** One line per source; then, for several, one for the merged sweeps. */
function describe(r: MergeReport): string {
  const into = escapeControl(r.into);
  const lines = r.sources.map((s) => sourceLine(s, into));
  if (r.sources.length > 1 || r.runs) {
    const rate = r.seconds > 0 ? `, ${count(Math.round(r.events / r.seconds))} events/s` : '';
    const sweeps = r.sweeps
      .map(
        (s) =>
          `sweep ${s.id} '${escapeControl(s.name)}' holds ${s.held} of ${s.cells} cells${s.held < s.cells ? ` (fill the rest with: memcglab sweep --resume ${s.id} --db ${into})` : ''}`,
      )
      .join('; ');
    lines.push(`${into}: merged ${plural(r.runs, 'run')} (${count(r.events)} events) in ${r.seconds.toFixed(1)} s${rate}; ${sweeps}`);
  }
  return lines.map((l) => `${l}\n`).join('');
}

function sourceLine(s: SourceReport, into: string): string {
  const path = escapeControl(s.path);
  const events = s.merged.reduce((n, m) => n + m.events, 0);
  const parts: string[] = [];
  if (s.merged.length) {
    const sweeps = [...new Set(s.merged.map((m) => m.sweep))].join(', ');
    parts.push(`merged ${plural(s.merged.length, 'run')} (${count(events)} events) into sweep ${sweeps} of ${into}`);
    if (s.already) parts.push(`${plural(s.already, 'run')} already there`);
  } else if (s.already)
    parts.push(`nothing to merge: its ${plural(s.already, 'done run')} ${s.already === 1 ? 'is' : 'are'} already in ${into}`);
  else parts.push('nothing to merge: no done runs');
  if (s.notDone.length) {
    const which = s.notDone.map((n) => `run ${n.run} ${n.status}`).join(', ');
    parts.push(
      `skipped ${plural(s.notDone.length, 'run')} not done (${which}): rerun the shard's sweep command to finish them, then merge again`,
    );
  }
  for (const c of s.conflicts)
    parts.push(`run ${c.run} not merged: cell ${c.cell} is already held by run ${c.held} of ${into}, with another state hash or not done`);
  for (const u of s.unchecked) parts.push(`run ${u.run} not merged: its record does not check: ${escapeControl(u.detail)}`);
  if (s.lone) parts.push(`${plural(s.lone, 'run')} outside any sweep left out`);
  return `${path}: ${parts.join('; ')}`;
}
