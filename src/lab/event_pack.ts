import type { Event } from '../kernel/events.js';

/**
 * An event's seven numeric columns into v[o..o+6] (float64: every column is an integer well
 * inside 2^53, so exact): the layout the hash chain hashes and the log writer thread reads.
 */
export function packColumns(v: Float64Array, o: number, e: Event): void {
  v[o] = e.seq;
  v[o + 1] = e.tick;
  v[o + 2] = e.type;
  v[o + 3] = e.memcg;
  v[o + 4] = e.folio;
  v[o + 5] = e.a;
  v[o + 6] = e.b;
}
