import type { Command } from 'commander';
import type { ReplayTarget } from '../lab/replay.js';
import { parseIntArg } from './common.js';

/** --seq | --tick | --cycle: a point in a run's log (replay, cat). */
export function addTargetOptions(cmd: Command): Command {
  return cmd
    .option('--seq <n>', 'right after event n (default: the end of the log)')
    .option('--tick <t>', 'after the last event at or before tick t')
    .option('--cycle <c>', 'right after cycle c ended');
}

export function parseTarget(opts: { seq?: string; tick?: string; cycle?: string }): ReplayTarget {
  return { seq: parseIntArg('--seq', opts.seq), tick: parseIntArg('--tick', opts.tick), cycle: parseIntArg('--cycle', opts.cycle) };
}
