import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { LabError } from '../errors.js';
import type { TraceOptions } from '../workload/trace.js';
import {
  ALLOWED,
  checkTrace,
  quickRecord,
  TRACE_FIELDS,
  type Trace,
  type TraceField,
  TraceRecordSchema,
  TraceRecords,
} from '../workload/trace_records.js';
import { jsonDepth } from './json.js';

// Reading a trace file (the IO the trace workload does not do): CSV or JSONL by extension, one
// record a line, every record validated; errors name file:line, the field, its value and what is
// allowed, up to MAX_ERRORS of them in one message. The file's sha256 is taken from the same bytes.

const MAX_ERRORS = 10;
/** Records one trace may hold (about 30 bytes each in memory): split a longer capture. */
export const MAX_RECORDS = 20_000_000;
const CHUNK = 1 << 20;

/** The trace file is gone or holds other bytes than the experiment recorded (resume says it of the run). */
export class TraceInputError extends LabError {
  constructor(
    message: string,
    /** what is wrong, said of the file: "is gone (no such file)", "changed since (sha256 …)" */
    readonly what: string,
  ) {
    super(message);
  }
}

/** A path as people see it: relative to the working directory when under it. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** A read trace: the checked records and the sha256 of the file's bytes. */
export interface LoadedTrace {
  trace: Trace;
  sha256: string;
}

/** Read, parse and check a trace file. Throws one LabError listing what is wrong, line by line. */
export function readTraceFile(path: string): LoadedTrace {
  const shown = shownPath(path);
  const format = /\.csv$/i.test(path) ? 'csv' : 'jsonl';
  const errors: string[] = [];
  let more = 0;
  const fail = (line: number, what: string) => {
    if (errors.length < MAX_ERRORS) errors.push(`${shown}:${line}: ${what}`);
    else more++;
  };
  const records = new TraceRecords();
  const lines: number[] = [];
  let header: TraceField[] | undefined;
  let badHeader = false; // then the lines after it mean nothing: stop at the header's error
  const onLine = (text: string, n: number) => {
    if (format === 'csv') {
      if (badHeader || text.trim() === '' || text.startsWith('#')) return;
      const cells = splitCsv(text);
      if (typeof cells === 'string') return fail(n, cells);
      if (!header) {
        const names = cells.map((c) => c.trim());
        const bad = names.find((c) => !(TRACE_FIELDS as readonly string[]).includes(c));
        badHeader = bad !== undefined || new Set(names).size !== names.length || !['tick', 'cgroup', 'op'].every((f) => names.includes(f));
        if (badHeader)
          return fail(
            n,
            `header ${JSON.stringify(text.slice(0, 80))}: the column names ${TRACE_FIELDS.join(',')} (in any order) on the first line`,
          );
        header = names as TraceField[];
        return;
      }
      if (cells.length !== header.length) return fail(n, `the line has ${cells.length} fields; the header names ${header.length}`);
      const raw: Record<string, unknown> = {};
      header.forEach((f, k) => {
        const c = cells[k];
        if (c === '') return; // empty: absent
        raw[f] = f !== 'cgroup' && f !== 'op' && /^-?\d+$/.test(c) ? Number(c) : c;
      });
      return take(raw, n);
    }
    if (text.trim() === '') return;
    if (jsonDepth(text, 4) > 2)
      return fail(n, 'a record is one flat JSON object, e.g. {"tick":1,"cgroup":"/a","op":"read","inode":1,"index":0,"pages":8}');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      return fail(n, `not valid JSON (${(e as Error).message})`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      return fail(n, `a record is a JSON object, not ${JSON.stringify(raw).slice(0, 40)}`);
    take(raw as Record<string, unknown>, n);
  };
  const paths = new Map<string, boolean>();
  const take = (raw: Record<string, unknown>, n: number) => {
    const quick = quickRecord(raw, paths);
    const r = quick ? { success: true as const, data: quick } : TraceRecordSchema.safeParse(raw);
    if (!r.success) {
      for (const issue of r.error.issues) {
        if (issue.code === 'unrecognized_keys') {
          for (const k of issue.keys) fail(n, `field ${JSON.stringify(k)}: not a trace field; the fields are ${TRACE_FIELDS.join(', ')}`);
          continue;
        }
        const field = String(issue.path[0] ?? 'record');
        const value = raw[field];
        const message = issue.code === 'custom' ? issue.message : (ALLOWED[field as TraceField] ?? issue.message);
        fail(n, `${field} ${value === undefined ? '(missing)' : show(value)}: ${message}`);
      }
      return;
    }
    if (records.length >= MAX_RECORDS) {
      fail(n, `more than ${MAX_RECORDS} records; split the trace`);
      throw new TooLong();
    }
    records.push(r.data);
    lines.push(n);
  };
  const sha256 = readLines(path, shown, onLine);
  if (format === 'csv' && !header && !errors.length) fail(1, `no header: the first line names the columns ${TRACE_FIELDS.join(',')}`);
  if (!errors.length && records.length === 0) fail(1, 'the trace has no records');
  if (!errors.length) {
    const { trace, issues, more: moreIssues } = checkTrace(records, (i) => `line ${lines[i]}`, MAX_ERRORS);
    for (const x of issues) fail(lines[x.record], `${x.field} ${show(x.value)}: ${x.message}`);
    more += moreIssues;
    if (!errors.length) return { trace, sha256 };
  }
  throw new TraceSyntaxError(`${errors.join('; ')}${more ? ` (and ${more} more)` : ''}`, sha256);
}

/** A trace with errors in it; `sha256` of its bytes lets a run that recorded another one say it changed. */
export class TraceSyntaxError extends LabError {
  constructor(
    message: string,
    readonly sha256: string,
  ) {
    super(message);
  }
}

class TooLong extends Error {}

function show(v: unknown): string {
  const s = typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v));
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Split one CSV line (RFC 4180 within a line: a field may be double-quoted, "" is a quote).
 * Unquoted fields are trimmed. Returns an error text for a malformed line.
 */
export function splitCsv(line: string): string[] | string {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return 'a quoted field is not closed (a trace record is one line)';
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (i < line.length && line[i] !== ',') return 'text after a quoted field; put a comma after the closing quote';
      out.push(v);
    } else {
      const c = line.indexOf(',', i);
      const end = c < 0 ? line.length : c;
      const v = line.slice(i, end).trim();
      if (v.includes('"')) return 'a quote inside an unquoted field; quote the whole field';
      out.push(v);
      i = end;
    }
    if (i >= line.length) return out;
    i++; // the comma
  }
}

/** Read a file line by line (LF or CRLF, UTF-8, a BOM dropped), hashing the bytes as they go. */
function readLines(path: string, shown: string, onLine: (text: string, n: number) => void): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw missing(shown, e);
  }
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const buf = Buffer.alloc(CHUNK);
  let rest = '';
  let n = 0;
  try {
    for (;;) {
      const got = readSync(fd, buf, 0, CHUNK, null);
      const bytes = buf.subarray(0, got);
      hash.update(bytes);
      let text: string;
      try {
        text = rest + decoder.decode(bytes, { stream: got > 0 });
      } catch {
        throw new LabError(`${shown} is not valid UTF-8 text; a trace is UTF-8 CSV or JSONL`);
      }
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        const line = text.slice(start, nl);
        onLine(line.endsWith('\r') ? line.slice(0, -1) : line, ++n);
        start = nl + 1;
      }
      rest = text.slice(start);
      if (got === 0) break;
    }
    if (rest) onLine(rest.endsWith('\r') ? rest.slice(0, -1) : rest, ++n);
  } catch (e) {
    if (!(e instanceof TooLong)) throw e;
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function missing(shown: string, e: unknown): TraceInputError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
  return new TraceInputError(
    `cannot read trace file ${shown} (${why}); workload.file names it relative to the experiment file`,
    `is gone (${why})`,
  );
}

/** The last traces read, by path and file identity, so one process reads each file once. */
const cache = new Map<string, { id: string; loaded: LoadedTrace }>();

/** Read a trace (or reuse the one read already if the file did not change since). */
export function loadTraceFile(path: string): LoadedTrace {
  let id: string;
  try {
    const st = statSync(path, { bigint: true });
    if (st.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    id = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch (e) {
    throw missing(shownPath(path), e);
  }
  const hit = cache.get(path);
  if (hit?.id === id) return hit.loaded;
  const loaded = readTraceFile(path);
  cache.delete(path);
  cache.set(path, { id, loaded });
  if (cache.size > 4) cache.delete(cache.keys().next().value as string);
  return loaded;
}

/**
 * The trace a workload's options name, checked against the sha256 they record: the loader the
 * trace kind is built with. A file that changed since is refused (resume, verify and sweeps must
 * replay the same bytes).
 */
export function loadTrace(o: TraceOptions): Trace {
  let sha256: string;
  let trace: Trace | undefined;
  try {
    ({ sha256, trace } = loadTraceFile(o.file));
  } catch (e) {
    // a recorded trace that no longer parses has changed: say that, not what is wrong in it now
    if (!(e instanceof TraceSyntaxError) || o.sha256 === undefined || e.sha256 === o.sha256) throw e;
    sha256 = e.sha256;
  }
  if (o.sha256 !== undefined && sha256 !== o.sha256) {
    const sums = `sha256 ${sha256.slice(0, 12)}…, recorded ${o.sha256.slice(0, 12)}…`;
    throw new TraceInputError(
      `trace file ${shownPath(o.file)} changed (${sums}); restore the file, or drop workload.sha256 to replay the new one`,
      `changed since (${sums})`,
    );
  }
  return trace!;
}

/**
 * A raw experiment with its trace path made absolute (relative to the experiment file's folder, as
 * written), so the run works from any directory later; other workloads unchanged.
 */
export function resolveTracePath(raw: unknown, experimentFile: string): unknown {
  const w = (raw as { workload?: unknown } | null)?.workload as { kind?: unknown; file?: unknown } | undefined;
  if (!w || typeof w !== 'object' || w.kind !== 'trace' || typeof w.file !== 'string' || w.file === '' || isAbsolute(w.file)) return raw;
  return { ...(raw as object), workload: { ...w, file: resolve(dirname(experimentFile), w.file) } };
}

/**
 * The experiment with its trace read, checked and its sha256 recorded (a pinned sha256 is checked
 * instead): every error in the trace surfaces here, before a run is written. Other workloads unchanged.
 */
export function pinTrace<E extends { workload: { kind: string } }>(exp: E): E {
  const w = exp.workload as unknown as TraceOptions;
  if (w.kind !== 'trace') return exp;
  loadTrace(w);
  if (w.sha256 !== undefined) return exp;
  return { ...exp, workload: { ...w, sha256: loadTraceFile(w.file).sha256 } };
}

/**
 * Before a run goes on (resume): the trace it replays must still be there with the same bytes.
 * One line naming the run, the file and what to do.
 */
export function checkRunTrace(exp: { workload: { kind: string } }, runId: number): void {
  const w = exp.workload as unknown as TraceOptions;
  if (w.kind !== 'trace') return;
  try {
    loadTrace(w);
  } catch (e) {
    if (!(e instanceof TraceInputError)) throw e;
    throw new LabError(
      `run ${runId} replays trace file ${shownPath(w.file)}, which ${e.what}; resume needs the same file: restore it, or start a new run`,
    );
  }
}
