import { writeSync } from 'node:fs';
import type { Command } from 'commander';
import { collect, parseIntArg } from '../common.js';
import { parseJobs } from '../jobs_option.js';

const EXPLORE_HELP = `
Each schedule is the experiment under one seed: the seed drives the workload and the scheduler
that interleaves kernel tasks with it (machine.concurrency), so seeds S, S+1, … are different
interleavings. A schedule runs in memory with every invariant checked at the end of each workload
step; the first that breaks one is run again from the step before with the invariants checked
after every event, which names the event. Explore stops there and prints the command that
repeats it (a real run, which verify then checks at the same seq). With --shrink the failing
schedule is then made smaller: the same seed on an experiment cut after the failing step and with
each workload size halved while the same invariant still breaks (at most 60 more schedules).
--json prints {experiment, schedules, events, seconds, failed: {seed, seq, type, step, invariant, detail, repro,
shrunk?: {sets, seq, type, step, detail, events, trials, repro}} | null}.
Exit 1 when a schedule broke something.
`;

/** A failing schedule as printed, and its shrunk form (--shrink). */
interface Failed {
  seed: number;
  seq: number;
  type: string;
  step: number;
  invariant: string;
  detail: string;
  repro: string;
  shrunk?: { sets: string[]; seq: number; type: string; step: number; detail: string; events: number; trials: number; repro: string };
}

export function registerExplore(program: Command): void {
  program
    .command('explore')
    .description('run many seeded schedules of an experiment in memory, checking the invariants; stop at the first that breaks one')
    .argument('[file]', 'experiment JSON file (default: experiments/default.json)')
    .option('--schedules <n>', 'how many schedules (seeds) to try', '100')
    .option('--seed <s>', "the first seed (default: the experiment's)")
    .option('--policy <name>', 'override the policy')
    .option('--set <path=value>', 'override a field (repeatable)', collect, [])
    .option('--jobs <n>', 'worker processes (default: $MEMCGLAB_JOBS, else the number of cores)')
    .option('--shrink', 'make a failing schedule smaller (same seed, a shorter, smaller experiment that breaks the same invariant)')
    .option('--json', 'print one JSON object (keys below)')
    .addHelpText('after', EXPLORE_HELP)
    .action(async (file: string | undefined, opts) => {
      const { prepareExperiment, reproCommand } = await import('../../lab/prepare.js');
      const { exploreSeeds } = await import('../../lab/explore_run.js');
      const n = parseIntArg('--schedules', opts.schedules, 1)!;
      const { exp, file: path } = prepareExperiment({ file, policy: opts.policy, set: opts.set });
      const first = parseIntArg('--seed', opts.seed) ?? exp.seed;
      const jobs = Math.min(parseJobs(opts.jobs), n);
      const t0 = performance.now();
      const res = await exploreSeeds(exp, first, n, jobs);
      const seconds = Math.round((performance.now() - t0) / 100) / 10;
      const failed: Failed | null = res.failed?.broken
        ? { seed: res.failed.seed, ...res.failed.broken, repro: reproCommand(path, { ...exp, seed: res.failed.seed }, opts.set) }
        : null;
      if (failed && res.failed && opts.shrink) {
        const { shrinkFailure } = await import('../../lab/explore_shrink.js');
        const sh = shrinkFailure(exp, res.failed);
        const b = sh.result.broken!;
        failed.shrunk = {
          sets: sh.sets,
          seq: b.seq,
          type: b.type,
          step: b.step,
          detail: b.detail,
          events: sh.result.events,
          trials: sh.trials,
          repro: reproCommand(path, { ...sh.exp, seed: res.failed.seed }, [...opts.set, ...sh.sets]),
        };
      }
      if (failed) process.exitCode = 1;
      if (opts.json) {
        writeSync(
          1,
          `${JSON.stringify({ experiment: exp.name, schedules: res.schedules, events: res.events, seconds, failed }, null, 2)}\n`,
        );
        if (jobs > 1) process.exit(process.exitCode ?? 0);
        return;
      }
      const head = `explore ${exp.name}: seeds ${first}..${first + n - 1}, ${jobs} worker${jobs === 1 ? '' : 's'}`;
      let text = `${head}\n${res.schedules} schedule${res.schedules === 1 ? '' : 's'} run (${res.events.toLocaleString('en-US')} events, ${seconds} s)`;
      if (!failed) text += `: none broke an invariant\n`;
      else {
        text += `\nschedule seed ${failed.seed}: ${failed.invariant} broken at seq ${failed.seq} (${failed.type}), step ${failed.step}: ${failed.detail}\n`;
        text += `repeat: ${failed.repro}\n        then: memcglab verify <run>   (names seq ${failed.seq})\n`;
        const sh = failed.shrunk;
        if (sh && !sh.sets.length)
          text += `shrink: ${sh.trials} smaller experiments tried; none broke ${failed.invariant}: the schedule above is the smallest found\n`;
        else if (sh) {
          text += `shrunk (${sh.trials} schedules tried): ${sh.sets.join(' ')}: ${failed.invariant} broken at seq ${sh.seq} (${sh.type}), step ${sh.step}, ${sh.events.toLocaleString('en-US')} events\n`;
          text += `repeat: ${sh.repro}\n`;
        }
      }
      writeSync(1, text);
      // workers still running after an early stop are let go (they exit when the parent does)
      if (jobs > 1) process.exit(process.exitCode ?? 0);
    });
}
