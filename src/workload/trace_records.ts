import { z } from 'zod';
import { cgroupPath } from './options.js';

// A recorded trace, as the trace workload replays it: the record format, its validation (one
// record at a time), the records in columns, and the whole-trace check (ticks in order, cgroups
// made before they are used). Pure: the reader in src/lab/trace_file.ts does the IO.

export const TRACE_OPS = ['mkdir', 'rmdir', 'read', 'write', 'fault', 'free', 'exit'] as const;
export type TraceOp = (typeof TRACE_OPS)[number];
export const OP_MKDIR = 0;
export const OP_RMDIR = 1;
export const OP_READ = 2;
export const OP_WRITE = 3;
export const OP_FAULT = 4;
export const OP_FREE = 5;
export const OP_EXIT = 6;

/** The columns of a record, in the order a CSV header usually names them. */
export const TRACE_FIELDS = ['tick', 'cgroup', 'op', 'inode', 'index', 'pages'] as const;
export type TraceField = (typeof TRACE_FIELDS)[number];

/** The page cache key is inode × 2^32 + index and must stay an exact double: 21 bits of inode. */
export const MAX_INODE = 2 ** 21 - 1;
export const MAX_INDEX = 2 ** 32 - 1;
/** Pages one record may name (4 GiB); a larger range is several records. */
export const MAX_PAGES = 2 ** 20;

/** What each field allows, as the validation errors say it. */
export const ALLOWED: Record<TraceField, string> = {
  tick: `a whole number of ticks from 0 to ${Number.MAX_SAFE_INTEGER}`,
  cgroup: 'an absolute cgroup path like /system.slice/job@1.service (letters, digits, _ . @ : -), or / for the root',
  op: `one of ${TRACE_OPS.join(', ')}`,
  inode: `a whole number from 1 to ${MAX_INODE} (number the files 1, 2, 3, ...; for fault and free of anon, any id of the memory, e.g. a pid)`,
  index: `a whole number from 0 to ${MAX_INDEX} (a page index in the file)`,
  pages: `a whole number from 1 to ${MAX_PAGES}`,
};

const whole = (field: TraceField, min: number, max: number) =>
  z
    .number({ error: ALLOWED[field] })
    .int({ error: ALLOWED[field] })
    .min(min, { error: ALLOWED[field] })
    .max(max, { error: ALLOWED[field] });

const PAGE_OPS: ReadonlySet<string> = new Set(['read', 'write', 'fault', 'free']);

/** One record as read from a line (CSV numbers already turned into numbers). */
export const TraceRecordSchema = z
  .strictObject({
    tick: whole('tick', 0, Number.MAX_SAFE_INTEGER),
    cgroup: z.union([z.literal('/'), cgroupPath], { error: ALLOWED.cgroup }),
    op: z.enum(TRACE_OPS, { error: ALLOWED.op }),
    inode: whole('inode', 1, MAX_INODE).optional(),
    index: whole('index', 0, MAX_INDEX).optional(),
    pages: whole('pages', 1, MAX_PAGES).optional(),
  })
  .superRefine((r, ctx) => {
    if (PAGE_OPS.has(r.op)) {
      for (const f of ['inode', 'index', 'pages'] as const) {
        if (r[f] === undefined) ctx.addIssue({ code: 'custom', path: [f], message: `${r.op} needs it: ${ALLOWED[f]}` });
      }
      if (r.index !== undefined && r.pages !== undefined && r.index + r.pages - 1 > MAX_INDEX)
        ctx.addIssue({ code: 'custom', path: ['pages'], message: `index + pages - 1 must be at most ${MAX_INDEX}` });
    }
    if ((r.op === 'mkdir' || r.op === 'rmdir') && r.cgroup === '/')
      ctx.addIssue({ code: 'custom', path: ['cgroup'], message: `${r.op} needs a cgroup below the root (the root always exists)` });
  });

export type TraceRecord = z.output<typeof TraceRecordSchema>;

const CgroupSchema = z.union([z.literal('/'), cgroupPath]);
const OPS: ReadonlySet<string> = new Set(TRACE_OPS);
const FIELDS: ReadonlySet<string> = new Set(TRACE_FIELDS);

/**
 * What TraceRecordSchema accepts, decided without zod for the common case (a capture has millions
 * of lines; zod takes ~9 µs a record): the record, or undefined when the schema would refuse it
 * (then zod says why). Cgroup paths repeat, so each is checked by the schema once and remembered
 * in `paths`. A property test holds this to the schema.
 */
export function quickRecord(raw: Record<string, unknown>, paths: Map<string, boolean>): TraceRecord | undefined {
  for (const k in raw) if (!FIELDS.has(k)) return undefined;
  const { tick, cgroup, op, inode, index, pages } = raw;
  if (!Number.isSafeInteger(tick) || (tick as number) < 0) return undefined;
  if (typeof cgroup !== 'string' || typeof op !== 'string' || !OPS.has(op)) return undefined;
  let ok = paths.get(cgroup);
  if (ok === undefined) {
    ok = CgroupSchema.safeParse(cgroup).success;
    if (paths.size < 1_000_000) paths.set(cgroup, ok);
  }
  if (!ok) return undefined;
  const within = (v: unknown, min: number, max: number) =>
    v === undefined || (Number.isInteger(v) && (v as number) >= min && (v as number) <= max);
  if (!within(inode, 1, MAX_INODE) || !within(index, 0, MAX_INDEX) || !within(pages, 1, MAX_PAGES)) return undefined;
  if (
    PAGE_OPS.has(op) &&
    (inode === undefined || index === undefined || pages === undefined || (index as number) + (pages as number) - 1 > MAX_INDEX)
  )
    return undefined;
  if ((op === 'mkdir' || op === 'rmdir') && cgroup === '/') return undefined;
  const r: Record<string, unknown> = { tick, cgroup, op };
  if (inode !== undefined) r.inode = inode;
  if (index !== undefined) r.index = index;
  if (pages !== undefined) r.pages = pages;
  return r as TraceRecord;
}

/** The records of a trace in columns (a multi-million-line trace stays compact); paths interned. */
export class TraceRecords {
  length = 0;
  tick = new Float64Array(256);
  op = new Uint8Array(256);
  cgroup = new Uint32Array(256);
  inode = new Uint32Array(256);
  index = new Uint32Array(256);
  pages = new Uint32Array(256);
  readonly paths: string[] = [];
  private readonly pathIds = new Map<string, number>();

  push(r: TraceRecord): void {
    if (this.length === this.tick.length) this.grow();
    const i = this.length++;
    let id = this.pathIds.get(r.cgroup);
    if (id === undefined) {
      id = this.paths.length;
      this.paths.push(r.cgroup);
      this.pathIds.set(r.cgroup, id);
    }
    this.tick[i] = r.tick;
    this.op[i] = TRACE_OPS.indexOf(r.op);
    this.cgroup[i] = id;
    this.inode[i] = r.inode ?? 0;
    this.index[i] = r.index ?? 0;
    this.pages[i] = r.pages ?? 0;
  }

  path(i: number): string {
    return this.paths[this.cgroup[i]];
  }

  private grow(): void {
    const n = this.tick.length * 2;
    const more = <T extends Float64Array | Uint8Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.tick = more(this.tick, (k) => new Float64Array(k));
    this.op = more(this.op, (k) => new Uint8Array(k));
    this.cgroup = more(this.cgroup, (k) => new Uint32Array(k));
    this.inode = more(this.inode, (k) => new Uint32Array(k));
    this.index = more(this.index, (k) => new Uint32Array(k));
    this.pages = more(this.pages, (k) => new Uint32Array(k));
  }
}

/** A problem with the trace as a whole: the record (0-based) it shows at, the field and value, what is allowed. */
export interface TraceIssue {
  record: number;
  field: TraceField;
  value: string | number;
  message: string;
}

/** Counts the estimate is made of. */
export interface TraceStats {
  records: number;
  mkdirs: number;
  rmdirs: number;
  exits: number;
  /** pages named by read and write records, by fault records, by free records */
  filePages: number;
  anonPages: number;
  freePages: number;
}

/** A checked trace: its records, the cgroups that exist before it begins (parents first), its counts. */
export interface Trace {
  records: TraceRecords;
  setup: readonly string[];
  stats: TraceStats;
}

/** "/a/b" → "/a"; "/a" → "/". */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/**
 * Check a trace as a whole and plan its setup. Ticks never go back. A cgroup a record names
 * before any mkdir of it existed before the trace began (setup creates it, with its ancestors);
 * after its rmdir it is gone until mkdir'ed again. mkdir needs its parent there and the cgroup
 * not; rmdir needs the cgroup there and no child cgroup of it. Issues past `maxIssues` are counted,
 * not kept. `where` names another record in a message (the reader says its line).
 */
export function checkTrace(
  t: TraceRecords,
  where: (record: number) => string = (i) => `record ${i + 1}`,
  maxIssues = 10,
): { trace: Trace; issues: TraceIssue[]; more: number } {
  const issues: TraceIssue[] = [];
  let more = 0;
  const issue = (record: number, field: TraceField, value: string | number, message: string) => {
    if (issues.length < maxIssues) issues.push({ record, field, value, message });
    else more++;
  };
  /** a path's life: the record that made or removed it (-1: it existed before the trace) */
  const online = new Map<string, number>([['/', -1]]);
  const removed = new Map<string, number>();
  const children = new Map<string, Set<string>>();
  const setup: string[] = [];
  const stats: TraceStats = { records: t.length, mkdirs: 0, rmdirs: 0, exits: 0, filePages: 0, anonPages: 0, freePages: 0 };
  const attach = (path: string) => {
    const p = parentPath(path);
    const set = children.get(p) ?? new Set<string>();
    children.set(p, set);
    set.add(path);
  };
  /** a path first named by a record other than mkdir: it (and its unnamed ancestors) existed before */
  const preexist = (path: string, i: number): boolean => {
    if (online.has(path)) return true;
    const gone = removed.get(path);
    if (gone !== undefined) {
      issue(i, 'cgroup', path, `removed at ${where(gone)}; mkdir it again before using it`);
      return false;
    }
    if (!preexist(parentPath(path), i)) return false;
    online.set(path, -1);
    attach(path);
    setup.push(path);
    return true;
  };
  for (let i = 0; i < t.length; i++) {
    if (i > 0 && t.tick[i] < t.tick[i - 1])
      issue(i, 'tick', t.tick[i], `goes back: the record before is at tick ${t.tick[i - 1]}; ticks must not decrease`);
    const path = t.path(i);
    const op = t.op[i];
    if (op === OP_MKDIR) {
      stats.mkdirs++;
      const made = online.get(path);
      if (made !== undefined) {
        issue(
          i,
          'cgroup',
          path,
          `mkdir of a cgroup that exists (${made < 0 ? 'since before the trace' : `made at ${where(made)}`}); rmdir it first`,
        );
        continue;
      }
      const parent = parentPath(path);
      if (!preexist(parent, i)) continue;
      online.set(path, i);
      removed.delete(path);
      attach(path);
    } else if (op === OP_RMDIR) {
      stats.rmdirs++;
      if (!preexist(path, i)) continue;
      const kids = children.get(path);
      if (kids?.size) {
        issue(i, 'cgroup', path, `rmdir of a cgroup with a child cgroup (${[...kids][0]}); rmdir the children first`);
        continue;
      }
      online.delete(path);
      removed.set(path, i);
      children.get(parentPath(path))?.delete(path);
    } else {
      preexist(path, i);
      if (op === OP_READ || op === OP_WRITE) stats.filePages += t.pages[i];
      else if (op === OP_FAULT) stats.anonPages += t.pages[i];
      else if (op === OP_FREE) stats.freePages += t.pages[i];
      else stats.exits++;
    }
  }
  return { trace: { records: t, setup, stats }, issues, more };
}
