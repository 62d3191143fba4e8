#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { LabError } from '../errors.js';
import { codeVersion } from '../lab/version.js';
import { registerBench } from './commands/bench.js';
import { registerCat } from './commands/cat.js';
import { registerCompare } from './commands/compare.js';
import { registerQuery } from './commands/query.js';
import { registerRebuild } from './commands/rebuild.js';
import { registerReplay } from './commands/replay.js';
import { registerReport } from './commands/report.js';
import { registerResume } from './commands/resume.js';
import { registerRun } from './commands/run.js';
import { registerRuns } from './commands/runs.js';
import { registerShow } from './commands/show.js';
import { registerSweep } from './commands/sweep.js';
import { registerVerify } from './commands/verify.js';

const program = new Command();
program
  .name('memcglab')
  .description("An event-sourced lab for the Linux kernel's dying memory cgroup problem and memcg reparenting")
  .version(codeVersion())
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();

registerRun(program);
registerResume(program);
registerCompare(program);
registerSweep(program);
registerRuns(program);
registerShow(program);
registerReplay(program);
registerCat(program);
registerVerify(program);
registerRebuild(program);
registerQuery(program);
registerReport(program);
registerBench(program);

try {
  await program.parseAsync(process.argv); // async: sweep, compare and report wait for workers or renderers
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  if (e instanceof LabError) {
    process.stderr.write(`memcglab: ${e.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`memcglab: internal error: ${(e as Error).stack ?? e}\n`);
  process.exit(2);
}
