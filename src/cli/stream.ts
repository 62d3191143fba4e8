import { once } from 'node:events';
import { fstatSync, writeSync } from 'node:fs';
import { escapeControl } from './escape.js';
import { formatCell } from './output.js';

export type RowFormat = 'table' | 'csv' | 'json' | 'jsonl';

/** Rows are written in chunks of about this many bytes, waiting for the pipe to drain between them. */
const CHUNK = 64 * 1024;
/** A table's column widths come from its first rows; later, wider cells just push the line. */
const WIDTH_SAMPLE = 1000;

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : Buffer.isBuffer(v) ? v.toString('hex') : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const jsonCell = (v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v);

/**
 * Write text chunks to `out` in order, waiting for it to drain whenever it asks to. Stdout on a
 * file or /dev/null is written with writeSync: its stream would turn each string into a Buffer
 * first, external memory that piles up until an old-space GC (+20–30 MiB of peak RSS on a 20 M-row
 * export); a pipe or terminal keeps the stream and its backpressure.
 */
export async function streamText(chunks: Iterable<string | Buffer>, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  if (out === process.stdout && stdoutIsFile()) {
    for (const text of chunks) writeAll(1, text);
    return;
  }
  for (const text of chunks) if (!out.write(text)) await once(out, 'drain');
}

function stdoutIsFile(): boolean {
  try {
    const st = fstatSync(1);
    return st.isFile() || st.isCharacterDevice() ? !process.stdout.isTTY : false;
  } catch {
    return false;
  }
}

/** writeSync until all of it is written (a string straight from V8, no Buffer; the rare short write goes on from a Buffer). */
function writeAll(fd: number, text: string | Buffer): void {
  if (typeof text === 'string') {
    const n = writeSync(fd, text);
    if (n === Buffer.byteLength(text)) return;
    text = Buffer.from(text).subarray(n);
  }
  for (let off = 0; off < text.length; ) off += writeSync(fd, text, off);
}

/**
 * Print rows of any number in constant memory: a table (aligned by the first rows), CSV, a JSON
 * array or JSON lines (one object a line), written in chunks with backpressure.
 */
export async function streamRows(
  headers: string[],
  rows: Iterable<unknown[]>,
  format: RowFormat,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  let buf = '';
  const flush = async (force = false) => {
    if (buf.length < CHUNK && !force) return;
    const ok = out.write(buf);
    buf = '';
    if (!ok) await once(out, 'drain');
  };
  const it = rows[Symbol.iterator]();
  if (format === 'json') {
    let first = true;
    buf += '[';
    for (let r = it.next(); !r.done; r = it.next()) {
      const obj: Record<string, unknown> = {};
      for (let i = 0; i < headers.length; i++) obj[headers[i]] = jsonCell(r.value[i]);
      buf += `${first ? '\n' : ',\n'}  ${JSON.stringify(obj)}`;
      first = false;
      await flush();
    }
    buf += first ? ']\n' : '\n]\n';
    return flush(true);
  }
  if (format === 'jsonl') {
    for (let r = it.next(); !r.done; r = it.next()) {
      const obj: Record<string, unknown> = {};
      for (let i = 0; i < headers.length; i++) obj[headers[i]] = jsonCell(r.value[i]);
      buf += `${JSON.stringify(obj)}\n`;
      await flush();
    }
    return flush(true);
  }
  if (format === 'csv') {
    buf += `${headers.map(csvCell).join(',')}\n`;
    for (let r = it.next(); !r.done; r = it.next()) {
      buf += `${r.value.map(csvCell).join(',')}\n`;
      await flush();
    }
    return flush(true);
  }
  const sample: string[][] = [];
  let r = it.next();
  for (; !r.done && sample.length < WIDTH_SAMPLE; r = it.next()) sample.push(r.value.map(formatCell));
  const names = headers.map((h) => escapeControl(h));
  const widths = names.map((h, i) => Math.max(h.length, ...sample.map((c) => c[i]?.length ?? 0)));
  const right = names.map((_, i) => sample.length > 0 && sample.every((c) => /^-?[\d.]+$|^-$/.test(c[i] ?? '')));
  const line = (cells: string[]) =>
    `${cells
      .map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd()}\n`;
  buf += line(names) + line(widths.map((w) => '-'.repeat(w)));
  for (const c of sample) {
    buf += line(c);
    await flush();
  }
  for (; !r.done; r = it.next()) {
    buf += line(r.value.map(formatCell));
    await flush();
  }
  return flush(true);
}
