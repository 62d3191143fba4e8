#!/usr/bin/env node
import { Command } from 'commander';
import { LabError } from '../errors.js';
import { registerBench } from './commands/bench.js';
import { registerCat } from './commands/cat.js';
import { registerCompare } from './commands/compare.js';
import { registerDelete } from './commands/delete.js';
import { registerDiff } from './commands/diff.js';
import { registerDying } from './commands/dying.js';
import { registerExplore } from './commands/explore.js';
import { registerExport } from './commands/export.js';
import { registerLockdep } from './commands/lockdep.js';
import { registerMerge } from './commands/merge.js';
import { registerQuery } from './commands/query.js';
import { registerRebuild } from './commands/rebuild.js';
import { registerReplay } from './commands/replay.js';
import { registerReport } from './commands/report.js';
import { registerResume } from './commands/resume.js';
import { registerRun } from './commands/run.js';
import { registerRuns } from './commands/runs.js';
import { registerServe } from './commands/serve.js';
import { registerShow } from './commands/show.js';
import { registerSweep } from './commands/sweep.js';
import { registerVerify } from './commands/verify.js';
import { exitQuietlyOnEpipe } from './epipe.js';
import { reportFailure } from './fail.js';
import { packageVersion } from './version.js';

/** `--debug` anywhere before a `--` (any command): internal errors print their stack. */
function takeDebug(argv: string[]): { argv: string[]; debug: boolean } {
  const end = argv.indexOf('--');
  const head = end < 0 ? argv : argv.slice(0, end);
  const debug = head.includes('--debug');
  return { argv: debug ? [...head.filter((a) => a !== '--debug'), ...(end < 0 ? [] : argv.slice(end))] : argv, debug };
}

/**
 * `query "-- a comment\nSELECT …"`: an argument that starts with dashes and then whitespace can
 * only be SQL, never an option, but commander would take it for one. Such arguments go after a
 * `--` (the end of options), where commander reads them as the positional SQL.
 */
function sqlAfterDashes(argv: string[]): string[] {
  if (argv[2] !== 'query') return argv;
  const end = argv.indexOf('--');
  const head = end < 0 ? argv : argv.slice(0, end);
  const isSql = (a: string, i: number) => /^-+\s/.test(a) && head[i - 1] !== '--db' && head[i - 1] !== '--timeout';
  const moved = head.filter(isSql);
  if (!moved.length) return argv;
  return [...head.filter((a, i) => !isSql(a, i)), '--', ...moved, ...(end < 0 ? [] : argv.slice(end + 1))];
}

const taken = takeDebug(process.argv);
const debug = taken.debug;
const argv = sqlAfterDashes(taken.argv);
if (debug) process.env.MEMCGLAB_DEBUG = '1';
/** The subcommand commander is parsing (for the help its errors point at). */
let parsing: string | undefined;
const program = new Command();
program
  .name('memcglab')
  .description("An event-sourced lab for the Linux kernel's dying memory cgroup problem and memcg reparenting")
  .version(packageVersion())
  .option('--debug', 'print the stack of an internal error (any command)')
  // help is --help only (every command inherits it): -h means --human where sizes are printed
  .helpOption('--help', 'display help for command')
  // Errors are thrown (exitOverride) and printed by reportFailure as one line naming the help of
  // the command being parsed (kept by the preSubcommand hook); help stays on stdout.
  .helpCommand(false)
  .exitOverride()
  .configureOutput({ outputError: () => {} })
  .hook('preSubcommand', (_program, sub) => {
    parsing = sub.name();
  });

registerRun(program);
registerResume(program);
registerCompare(program);
registerSweep(program);
registerMerge(program);
registerRuns(program);
registerShow(program);
registerReplay(program);
registerCat(program);
registerDiff(program);
registerDying(program);
registerVerify(program);
registerLockdep(program);
registerExplore(program);
registerRebuild(program);
registerQuery(program);
registerExport(program);
registerDelete(program);
registerReport(program);
registerServe(program);
registerBench(program);

async function main(): Promise<number> {
  if (argv.length <= 2 || (argv[2] === 'help' && argv.length === 3)) {
    process.stdout.write(program.helpInformation());
    return 0;
  }
  if (argv[2] === 'help') {
    // `help <command>`: that command's help; anything else is one error line
    const sub = program.commands.find((c) => c.name() === argv[3]);
    if (!sub || argv.length > 4)
      throw new LabError(
        `help takes one command name (got ${argv.slice(3).join(' ')}); the commands: ${program.commands.map((c) => c.name()).join(', ')}`,
      );
    process.stdout.write(sub.helpInformation());
    return 0;
  }
  await program.parseAsync(argv);
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

exitQuietlyOnEpipe();

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.exitCode = reportFailure(e, debug, parsing);
  },
);
