import type { Command } from 'commander';
import type { BenchReport } from '../../bench/types.js';
import { LabError } from '../../errors.js';
import { printJson, table } from '../output.js';

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('measure append, replay, run, point-in-time, memory and size against their baselines')
    .option('--quick', 'small sizes: a smoke run for CI (under 30 s)')
    .option('--keep', 'keep the temporary databases and print where they are')
    .option(
      '--only <figures>',
      'run only these figures (comma-separated: run, append, replay, verify, export, size, memory, point-in-time, sweep, serve)',
    )
    .option('--check', 'exit 1 when a goal is not met (CI runs --quick without it: speed is not a test)')
    .option('--json', 'print one JSON object')
    .action(async (opts) => {
      const { runBench, FIGURES } = await import('../../bench/runner.js');
      const names = FIGURES.map((f) => f.name);
      const only =
        opts.only === undefined
          ? undefined
          : String(opts.only)
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean);
      const unknown = only?.find((n) => !names.includes(n));
      if (only && (!only.length || unknown !== undefined))
        throw new LabError(
          `--only ${opts.only}: ${unknown ? `no figure '${unknown}'` : 'names no figure'}; choose from: ${names.join(', ')}`,
        );
      const log = opts.json ? undefined : (msg: string) => process.stderr.write(`bench: ${msg}\n`);
      const report = runBench({
        quick: !!opts.quick,
        keep: !!opts.keep,
        only,
        log: opts.keep && !log ? (m) => process.stderr.write(`bench: ${m}\n`) : log,
      });
      const missed = report.results.filter((x) => x.met === false).map((x) => x.name);
      if (opts.check && missed.length) {
        process.exitCode = 1;
        process.stderr.write(`memcglab: bench: ${missed.length} goal${missed.length === 1 ? '' : 's'} not met: ${missed.join(', ')}\n`);
      }
      if (opts.json) return printJson(report);
      process.stdout.write(formatReport(report));
    });
}

export function formatReport(r: BenchReport): string {
  const num = (v: number | null) => (v === null ? '-' : Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : String(v));
  const head =
    `memcglab bench${r.quick ? ' --quick' : ''}: node ${r.node}, ${r.cpu} (${r.cores} cores), ` +
    `commit ${r.commit ? r.commit.slice(0, 12) : 'unknown'}, ${r.seconds} s\n\n`;
  const rows = r.results.map((x) => [
    x.name,
    num(x.value),
    x.unit,
    num(x.baseline),
    x.ratio ?? '-',
    x.goal ?? '-',
    x.met === null ? '-' : x.met ? 'yes' : 'NO',
  ]);
  const notes = r.results
    .filter((x) => x.note)
    .map((x) => `  ${x.name}: ${x.note}`)
    .join('\n');
  return (
    head +
    table(['figure', 'value', 'unit', 'baseline', 'ratio', 'goal', 'met'], rows, [false, true, false, true, true, false, false]) +
    `\n${notes}\n`
  );
}
