/**
 * Terminal control characters (C0 but tab and newline when allowed, DEL, C1) written as visible
 * escapes, so a stored or user-given string (an experiment name, a path) cannot move the cursor,
 * retitle the terminal or hide text. JSON output needs none of this (JSON escapes them).
 */
export function escapeControl(s: string, keepNewline = false): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c > 0x9f || (keepNewline && (c === 0x0a || c === 0x09))) continue;
    out += s.slice(last, i) + (c === 0x0a ? '\\n' : c === 0x0d ? '\\r' : c === 0x09 ? '\\t' : `\\x${c.toString(16).padStart(2, '0')}`);
    last = i + 1;
  }
  return last === 0 ? s : out + s.slice(last);
}
