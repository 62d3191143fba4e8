import type { Command } from 'commander';
import { LabError } from '../errors.js';
import type { RunLabels } from '../lab/run.js';
import type { Tags } from '../store/tags.js';
import { collect } from './common.js';

/** Options that label a run (run) or a sweep and its runs (sweep). */
export function addLabelOptions(cmd: Command, what: string): Command {
  return cmd
    .option('--name <name>', `name the ${what} (default: the experiment's name)`)
    .option('--tag <key=value>', `tag the ${what}, e.g. --tag ticket=MM-123 (repeatable; find runs with runs --tag)`, collect, [])
    .option('--note <text>', `a note on the ${what} (shown by show)`);
}

const KEY = /^[A-Za-z0-9_.:-]{1,64}$/;
const short = (v: string) => (v.length > 40 ? `${v.slice(0, 37)}...` : v);

/** `key=value` (or `key` alone when `valueOptional`): the tag filters and labels share the syntax. */
export function parseTag(v: string, valueOptional = false): { key: string; value?: string } {
  const eq = v.indexOf('=');
  const key = eq < 0 ? v : v.slice(0, eq);
  if (!KEY.test(key))
    throw new LabError(`--tag ${short(v)}: the key must be 1-64 letters, digits or _ . : - (then =value), e.g. --tag ticket=MM-123`);
  if (eq < 0) {
    if (valueOptional) return { key };
    throw new LabError(`--tag ${short(v)}: expected key=value, e.g. --tag ticket=MM-123`);
  }
  const value = v.slice(eq + 1);
  if (value.length > 200) throw new LabError(`--tag ${key}: the value is longer than 200 characters; put long text in --note`);
  return { key, value };
}

/** --name, --tag (repeatable) and --note as labels, checked. */
export function parseLabels(opts: { name?: string; tag?: string[]; note?: string }): RunLabels & { tags: Tags } {
  const tags: Tags = {};
  for (const t of opts.tag ?? []) {
    const { key, value } = parseTag(t);
    if (key in tags) throw new LabError(`--tag ${key}: given twice; a run has one value per key`);
    tags[key] = value!;
  }
  if (opts.name !== undefined && !opts.name.trim()) throw new LabError('--name is empty; give the run a name, e.g. --name baseline');
  if (opts.name !== undefined && opts.name.length > 200)
    throw new LabError('--name is longer than 200 characters; put long text in --note');
  if (opts.note !== undefined && opts.note.length > 10_000) throw new LabError('--note is longer than 10000 characters');
  return { name: opts.name, tags, note: opts.note ?? null };
}

/** -h/--human: sizes as KiB/MiB/GiB instead of bytes (help is --help only, for every command). */
export function addHumanOption(cmd: Command): Command {
  return cmd.option('-h, --human', 'print sizes as KiB, MiB, GiB (default: bytes)');
}
