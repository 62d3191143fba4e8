import { CommanderError } from 'commander';
import { LabError, LabErrors } from '../errors.js';
import { sqliteFailure } from '../store/errors.js';
import { escapeControl } from './escape.js';

/**
 * The one error path of the CLI: every failure becomes ONE line on stderr starting `memcglab:`
 * (control characters escaped), and an exit code: 1 for anything a user or the database can
 * cause (bad input, bad options, a damaged, full, read-only or busy database), 2 for an internal
 * error. A stack is printed only with --debug. The one exception to one line: an experiment with
 * several errors (LabErrors) prints a header line saying how many, then one `memcglab:` line each.
 */
export function reportFailure(e: unknown, debug: boolean, command?: string): number {
  if (e instanceof CommanderError) {
    if (e.exitCode === 0) return 0; // --help, --version
    writeLine(usageLine(e.message, command));
    return 1;
  }
  if ((e as { code?: unknown })?.code === 'EPIPE') return 0; // stdout's reader went away: nothing to say
  if (e instanceof LabErrors) {
    // several errors found at once (an experiment's validation): a header, then one line each
    for (const line of [e.header, ...e.lines]) writeLine(line);
    if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
  const known = e instanceof LabError ? e : sqliteFailure(e);
  if (known) {
    writeLine(known.message);
    if (debug && (e as Error).stack) process.stderr.write(`${(e as Error).stack}\n`);
    return 1;
  }
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    writeLine(`input nested too deeply to process (${e.message})`);
    return 1;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  writeLine(`internal error: ${err.message}${debug ? '' : ' (run again with --debug for the stack, and report it)'}`);
  if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
  return 2;
}

/**
 * Commander's message as one line naming the command's help: "error: unknown option '--seeds'\n
 * (Did you mean --seed?)" becomes "unknown option '--seeds' (did you mean --seed?) (see memcglab
 * compare --help)". `command` is the subcommand being parsed (none: the program's own options).
 */
export function usageLine(message: string, command?: string): string {
  const msg = message
    .replace(/^error:\s*/i, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/\(Did you mean/g, '(did you mean')
    .replace(/\.$/, '');
  return `${msg} (see memcglab ${command ? `${command} ` : ''}--help)`;
}

function writeLine(msg: string): void {
  process.stderr.write(`memcglab: ${escapeControl(msg.trim())}\n`);
}
