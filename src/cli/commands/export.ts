import { openSync, renameSync, rmSync } from 'node:fs';
import type { Command } from 'commander';
import { LabError } from '../../errors.js';
import type { ExportFormat, ExportWhat } from '../../store/export.js';
import { addDbOption, parseRunId, withStore } from '../common.js';
import { Progress } from '../progress.js';
import { streamRows, streamText } from '../stream.js';

const WHATS: readonly ExportWhat[] = ['events', 'samples', 'memcgs'];
const FORMATS: readonly ExportFormat[] = ['csv', 'jsonl'];

function oneOf<T extends string>(option: string, v: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new LabError(`${option} must be one of ${allowed.join(', ')} (got '${v.length > 40 ? `${v.slice(0, 37)}...` : v}')`);
}

/** A write stream's first error (kept, so a failed write is not an uncaught 'error' event). */
function guard(out: NodeJS.WritableStream): { failed: () => Error | undefined } {
  let err: Error | undefined;
  out.on('error', (e: Error) => {
    err ??= e;
  });
  return { failed: () => err };
}

/**
 * `export`: a run's events (with their type names), samples or memcgs as CSV or JSON lines, one
 * row a line, in constant memory, on stdout (with its backpressure) or into a file. The file is
 * written as `<file>.tmp` and renamed at the end: an error never leaves a partial file.
 */
export function registerExport(program: Command): void {
  const cmd = program
    .command('export')
    .description("stream a run's events (with type names), samples or memcgs as CSV or JSON lines, one row a line")
    .argument('<run>', 'run id')
    .option('--what <what>', `what to export: ${WHATS.join(', ')}`, 'events')
    .option('--format <format>', `${FORMATS.join(' or ')} (JSON lines)`, 'csv')
    .option('--out <file>', 'write to this file (replaced when it exists) instead of stdout');
  addDbOption(cmd).action(async (id: string, opts) => {
    const runId = parseRunId(id);
    const what = oneOf('--what', String(opts.what), WHATS);
    const format = oneOf('--format', String(opts.format), FORMATS);
    const file: string | undefined = opts.out;
    if (file === '') throw new LabError('--out is empty; give a file path');
    const { findRun } = await import('../../store/runs.js');
    const { EVENT_COLUMNS, eventText, tableRows } = await import('../../store/export.js');
    const { logEnd } = await import('../../store/reader.js');
    const { createWriteStream } = await import('node:fs');
    await withStore(opts, true, async (store) => {
      if (!findRun(store, runId)) throw new LabError(`no run ${runId} in ${store.path}; list runs with: memcglab runs --db ${store.path}`);
      const tmp = file === undefined ? undefined : `${file}.tmp`;
      let out: NodeJS.WritableStream = process.stdout;
      if (tmp !== undefined) {
        let fd: number;
        try {
          fd = openSync(tmp, 'w');
        } catch (e) {
          throw new LabError(`cannot write ${file}: ${(e as Error).message}`);
        }
        out = createWriteStream('', { fd });
      }
      const sink = guard(out);
      try {
        if (what === 'events') {
          const header = format === 'csv' ? [`${EVENT_COLUMNS.join(',')}\n`] : [];
          // rate and ETA on stderr, unless the rows themselves go to the terminal
          const progress = new Progress(`export run ${runId}: event`, tmp === undefined && !!process.stdout.isTTY);
          const total = logEnd(store, runId).seq;
          const text = eventText(store, runId, format, (seq) => progress.update(seq, total));
          await streamText(checked([...header], text, sink.failed), out);
          progress.done();
        } else {
          const { headers, rows } = tableRows(store, runId, what);
          await streamRows(headers, rows, format, out);
        }
        if (tmp !== undefined && file !== undefined) {
          await new Promise<void>((res, rej) => {
            out.once('error', rej);
            (out as NodeJS.WritableStream & { end(cb: () => void): void }).end(() => res());
          });
          if (sink.failed()) throw sink.failed();
          renameSync(tmp, file);
        }
      } catch (e) {
        if (tmp !== undefined) {
          (out as NodeJS.WritableStream & { destroy?: () => void }).destroy?.();
          rmSync(tmp, { force: true });
          if (e === sink.failed()) throw new LabError(`cannot write ${file}: ${(e as Error).message}`);
          throw e;
        }
        // stdout closed by the reader (export … | head): the output simply ends there
        if ((e as { code?: string }).code === 'EPIPE') return;
        throw e;
      }
    });
  });
}

/** `head`, then `rest`, stopping with the sink's error as soon as it has one. */
function* checked(head: string[], rest: Iterable<string>, failed: () => Error | undefined): Generator<string | Buffer> {
  for (const s of head) yield s;
  for (const s of rest) {
    const e = failed();
    if (e) throw e;
    yield s;
  }
}
