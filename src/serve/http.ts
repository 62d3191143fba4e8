import type { ServerResponse } from 'node:http';
import { LabError } from '../errors.js';

/** A request the server refuses: the status and one line saying what, where and how to fix it. */
export class HttpError extends LabError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The query of one API request: each parameter read once, and any parameter not read is refused. */
export class Query {
  private readonly read = new Set<string>();

  constructor(
    private readonly params: URLSearchParams,
    private readonly where: string,
  ) {}

  str(name: string): string | undefined {
    this.read.add(name);
    const all = this.params.getAll(name);
    if (all.length > 1) throw new HttpError(400, `${this.where}: ${name} is given ${all.length} times; give it once`);
    return all[0];
  }

  /** A repeatable parameter: every value given, in order. */
  list(name: string): string[] {
    this.read.add(name);
    return this.params.getAll(name);
  }

  /** A non-negative integer (min 1 when `min` is 1), or undefined when absent. */
  int(name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const v = this.str(name);
    if (v === undefined || v === '') return undefined;
    const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max)
      throw new HttpError(
        400,
        `${this.where}: ${name} must be an integer from ${min} to ${max === Number.MAX_SAFE_INTEGER ? 'any' : max} (got '${v.slice(0, 40)}')`,
      );
    return n;
  }

  flag(name: string): boolean {
    const v = this.str(name);
    if (v === undefined || v === '0' || v === 'false') return false;
    if (v === '' || v === '1' || v === 'true') return true;
    throw new HttpError(400, `${this.where}: ${name} is a flag; give ${name}=1 or leave it out (got '${v.slice(0, 40)}')`);
  }

  /** After the handler read what it knows: a parameter it did not is a mistake worth naming. */
  done(): void {
    const unknown = [...new Set(this.params.keys())].filter((k) => !this.read.has(k));
    if (unknown.length)
      throw new HttpError(
        400,
        `${this.where}: unknown parameter ${unknown.map((k) => `'${k.slice(0, 40)}'`).join(', ')}; it takes: ${[...this.read].join(', ') || 'none'}`,
      );
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, head = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(head ? undefined : text);
}

/** A failure as the client sees it: a LabError's line (4xx), anything else one line without a stack (500). */
export function errorBody(e: unknown): { status: number; error: string } {
  if (e instanceof HttpError) return { status: e.status, error: e.message };
  if (e instanceof LabError) return { status: 400, error: e.message };
  const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  return { status: 500, error: `internal error: ${msg}; rerun memcglab serve with --debug to see the stack on its stderr` };
}
