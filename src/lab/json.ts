import { LabError } from '../errors.js';

/** Deepest nesting of arrays/objects an experiment may have (real ones use 4). */
export const MAX_JSON_DEPTH = 64;
/** Largest experiment file read (real ones are well under 10 KiB). */
export const MAX_JSON_BYTES = 4 * 1024 * 1024;
/** Keys that reach an object's prototype when assigned: refused anywhere in user JSON. */
export const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The nesting depth of JSON text, by one pass over the characters (strings skipped), without
 * recursion: JSON.parse of 200k nested brackets overflows the stack, so depth is checked first.
 */
export function jsonDepth(text: string, stopAt = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) {
        max = depth;
        if (max > stopAt) return max;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/**
 * Parse user JSON (an experiment file, a --set value): depth-limited first, and refusing
 * prototype keys (`__proto__`, `constructor`, `prototype`) at any level. `what` names the input.
 */
export function parseUserJson(text: string, what: string): unknown {
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new LabError(`${what} is nested too deep (more than ${MAX_JSON_DEPTH} levels of arrays/objects)`);
  }
  let bad: string | undefined;
  let value: unknown;
  try {
    value = JSON.parse(text, (key, v) => {
      if (bad === undefined && PROTOTYPE_KEYS.has(key)) bad = key;
      return v;
    });
  } catch (e) {
    throw new LabError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
  if (bad !== undefined) throw new LabError(`${what}: key "${bad}" is not allowed (prototype keys are refused)`);
  return value;
}

/** Decode a file's bytes as UTF-8 (strictly), dropping a leading byte order mark. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new LabError(`${what} is not valid UTF-8 text; save it as UTF-8 JSON`);
  }
  return text;
}
