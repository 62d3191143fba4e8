import type { z } from 'zod';
import { LabError, LabErrors } from '../errors.js';
import type { JsonSchema } from './experiment_schema.js';

/**
 * Validation errors of an experiment, all at once, one line each:
 * `<source>: <field>: got <value>: <what is allowed>`. "What is allowed" comes from the failed
 * check's own message where it has one (sizes, cgroup paths, cross-field rules), else from the
 * field's JSON Schema (the one editors see), so the two say the same thing.
 */

/** At most this many errors are listed; the rest are counted. */
export const MAX_LISTED_ERRORS = 20;

export interface FieldError {
  /** the path into the experiment, e.g. ['workload', 'proactive', 0, 'cgroup'] */
  path: readonly PropertyKey[];
  /** `got <value>`, or `missing` */
  got: string;
  allowed: string;
}

/** One LabError for all the errors: one line for one error, else a header and a line each. */
export function validationError(source: string, errors: readonly FieldError[]): LabError {
  const lines = errors.map((e) => `${source}: ${fieldName(e.path)}: ${e.got}: ${e.allowed}`);
  if (lines.length === 1) return new LabError(lines[0]);
  const listed = lines.slice(0, MAX_LISTED_ERRORS);
  if (lines.length > listed.length) listed.push(`${source}: and ${lines.length - listed.length} more errors (fix these first)`);
  return new LabErrors(`${source}: ${lines.length} errors in the experiment:`, listed);
}

/** Every zod issue as field errors (an issue naming several unknown keys gives one per key). */
export function issueErrors(issues: readonly z.core.$ZodIssue[], raw: unknown, schema: JsonSchema): FieldError[] {
  return issues.flatMap((issue) => fromIssue(issue, raw, schema));
}

function fromIssue(issue: z.core.$ZodIssue, raw: unknown, schema: JsonSchema): FieldError[] {
  const path = issue.path;
  const at = valueAt(raw, path);
  const got = at.found ? `got ${showValue(at.value)}` : 'missing';
  const node = schemaAt(schema, path, raw);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const fields = Object.keys((node && branch(node, at.value))?.properties ?? {});
      // a likely typo names the field meant; otherwise the fields there are listed
      return issue.keys.map((key) => ({
        path: [...path, key],
        got: `got ${showValue(valueAt(raw, [...path, key]).value)}`,
        allowed: `no such field${didYouMean(key, fields) || `; the fields here: ${fields.join(', ')}`}`,
      }));
    }
    case 'invalid_key': {
      // a record key (a cgroup path in limits): the field is the record, the value the key
      const key = path[path.length - 1];
      const why = issue.issues.map((i) => i.message).join('; ');
      return [{ path: path.slice(0, -1), got: `got ${showValue(String(key))}`, allowed: why }];
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
      const allowed = values.length === 1 ? `only ${values[0]}` : `one of ${values.join(', ')}`;
      return [{ path, got, allowed: `${allowed}${at.found ? didYouMean(at.value, values) : ''}` }];
    }
    case 'invalid_union': {
      const options = 'options' in issue ? (issue.options as readonly unknown[] | undefined) : undefined;
      if (issue.discriminator !== undefined && options) {
        const values = options.map((v) => String(v));
        return [{ path, got, allowed: `one of ${values.join(', ')}${at.found ? didYouMean(at.value, values) : ''}` }];
      }
      return [{ path, got, allowed: describe(node) ?? issue.message }];
    }
    case 'custom':
      return [{ path, got, allowed: issue.message }];
    case 'invalid_format':
      return [{ path, got, allowed: /^Invalid/.test(issue.message) ? (describe(node) ?? issue.message) : issue.message }];
    default:
      return [
        { path, got, allowed: path.length === 0 ? 'an experiment: a JSON object (see experiments/)' : (describe(node) ?? issue.message) },
      ];
  }
}

/** `machine.lru`, `workload.proactive[0].cgroup`, `limits["/system.slice"].max`; the whole file is `(top level)`. */
export function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((k, i) => {
      if (typeof k === 'number') return `[${k}]`;
      const s = String(k);
      if (/^[A-Za-z_$][\w$]*$/.test(s)) return i === 0 ? s : `.${s}`;
      return `[${JSON.stringify(s)}]`;
    })
    .join('');
}

/** A value as it would be written in the file, cut to 40 characters. */
export function showValue(v: unknown): string {
  const s = typeof v === 'number' || typeof v === 'bigint' ? String(v) : v === undefined ? 'nothing' : (JSON.stringify(v) ?? String(v));
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): { found: boolean; value?: unknown } {
  let v: unknown = raw;
  for (const k of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, k)) return { found: false };
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return { found: v !== undefined, value: v };
}

/** The JSON Schema node of a path (on the way, a oneOf is resolved by the value's discriminator). */
function schemaAt(root: JsonSchema, path: readonly PropertyKey[], raw: unknown): JsonSchema | undefined {
  let node: JsonSchema | undefined = root;
  let value = raw;
  for (const k of path) {
    node = branch(node, value);
    if (!node) return undefined;
    const props = node.properties as Record<string, JsonSchema> | undefined;
    if (typeof k === 'string' && props && Object.hasOwn(props, k)) node = props[k];
    else if (typeof k === 'number' && node.items && typeof node.items === 'object') node = node.items as JsonSchema;
    else if (node.additionalProperties && typeof node.additionalProperties === 'object') node = node.additionalProperties as JsonSchema;
    else return undefined;
    value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[k] : undefined;
  }
  return node;
}

/** The oneOf branch whose `const` fields the value matches (the discriminated unions). */
function branch(node: JsonSchema, value: unknown): JsonSchema | undefined {
  const options = node.oneOf as JsonSchema[] | undefined;
  if (!options) return node;
  const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const matches = options.filter((o) =>
    Object.entries((o.properties ?? {}) as Record<string, JsonSchema>).every(([k, p]) => !('const' in p) || p.const === v[k]),
  );
  return matches.length === 1 ? matches[0] : options.length === 1 ? options[0] : undefined;
}

/** What a JSON Schema node allows, in words. */
function describe(node: JsonSchema | undefined): string | undefined {
  if (!node) return undefined;
  if (Array.isArray(node.enum)) return `one of ${node.enum.join(', ')}`;
  if ('const' in node) return `only ${JSON.stringify(node.const)}`;
  const anyOf = node.anyOf as JsonSchema[] | undefined;
  if (anyOf?.some((o) => o.type === 'integer') && anyOf.some((o) => o.type === 'string')) {
    const min = anyOf.find((o) => o.type === 'integer')?.minimum as number;
    return `whole bytes${min ? ` (at least ${min})` : ''} or a size like "512MiB"`;
  }
  const oneOf = node.oneOf as JsonSchema[] | undefined;
  if (oneOf) {
    const props = oneOf.map((o) => (o.properties ?? {}) as Record<string, JsonSchema>);
    const key = Object.keys(props[0]).find((k) => props.every((p) => p[k] && 'const' in p[k]));
    return key ? `an object with ${key}: one of ${props.map((p) => p[key].const).join(', ')}` : undefined;
  }
  switch (node.type) {
    case 'integer':
    case 'number':
      return range(node);
    case 'string':
      return node.minLength ? 'a non-empty string' : 'a string';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a JSON array';
    case 'object':
      return 'a JSON object';
    default:
      return undefined;
  }
}

function range(node: JsonSchema): string {
  const int = node.type === 'integer';
  const noun = int ? 'an integer' : 'a number';
  let lo = node.minimum as number | undefined;
  let loExcl = node.exclusiveMinimum as number | undefined;
  const hi = (node.maximum as number | undefined) ?? undefined;
  if (int && loExcl !== undefined) {
    lo = loExcl + 1;
    loExcl = undefined;
  }
  const top = hi !== undefined && hi < Number.MAX_SAFE_INTEGER ? hi : undefined;
  if (lo !== undefined && top !== undefined) return `${noun} from ${lo} to ${top}`;
  if (loExcl !== undefined && top !== undefined) return `${noun} > ${loExcl} and ≤ ${top}`;
  if (lo !== undefined) return `${noun} ≥ ${lo}`;
  if (loExcl !== undefined) return `${noun} > ${loExcl}`;
  if (top !== undefined) return `${noun} ≤ ${top}`;
  return noun;
}

/** ` (did you mean "mglru"?)` when one candidate is close to the value (a typo), else ''. */
export function didYouMean(value: unknown, candidates: readonly string[]): string {
  if (typeof value !== 'string' || !value) return '';
  const v = value.toLowerCase();
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(v, c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  const near = bestD <= Math.max(1, Math.floor(value.length / 3));
  return best !== undefined && near && best !== value ? ` (did you mean ${JSON.stringify(best)}?)` : '';
}

/** Levenshtein distance with adjacent transpositions (optimal string alignment). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64 || b.length > 64) return Number.POSITIVE_INFINITY;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
