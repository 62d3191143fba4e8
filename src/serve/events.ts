import { type Arg, CATALOGUE, EVENT_NAMES, EventType, type EventTypeName } from '../kernel/events.js';
import type { Store } from '../store/db.js';
import { type EventFilter, type EventRow, eventsAround, eventsBetween } from '../store/serve.js';

/** An event as the page lists it: the columns as stored, its type's name, and a line saying what the columns mean. */
export interface ShownEvent {
  seq: number;
  tick: number;
  type: string;
  memcg: number;
  folio: number;
  a: number;
  b: number;
  data: string | null;
  text: string;
}

/** A column's value with the name the catalogue gives it (enum and flag values named). */
function argText(a: Arg, v: number | string | null): string {
  const label = a.means ?? a.col;
  if (typeof v !== 'number') return `${label} ${JSON.stringify(v)}`;
  if (a.values) {
    const name = Object.entries(a.values).find(([, x]) => x === v)?.[0];
    return `${label} ${name ?? v}`;
  }
  if (a.flags) {
    const set = Object.entries(a.flags)
      .filter(([, bit]) => (v & bit) !== 0)
      .map(([k]) => k);
    return `${label} ${v}${set.length ? ` (${set.join('|')})` : ''}`;
  }
  if (a.bool) return `${label} ${v ? 'yes' : 'no'}`;
  return `${label} ${v}`;
}

export function showEvent(r: EventRow): ShownEvent {
  const [seq, tick, code, memcg, folio, a, b, data] = r;
  const name = EVENT_NAMES[code] ?? `type ${code}`;
  const decl = (CATALOGUE as Record<string, { args: readonly Arg[] }>)[name];
  const cols = { memcg, folio, a, b, data } as Record<string, number | string | null>;
  const text = decl ? decl.args.map((arg) => argText(arg, cols[arg.col])).join(', ') : `memcg ${memcg}, folio ${folio}, a ${a}, b ${b}`;
  return { seq, tick, type: name, memcg, folio, a, b, data, text };
}

/** The catalogue's event names, for the page's type filter. */
export function eventTypeNames(): string[] {
  return Object.keys(CATALOGUE).sort();
}

/** An event type name as the log's code, or undefined when there is no such event. */
export function eventCode(name: string): number | undefined {
  return Object.hasOwn(EventType, name) ? EventType[name as EventTypeName] : undefined;
}

/** How far (in seqs) the events list looks either side of the point for matching events. */
export const AROUND_WINDOW = 1_000_000;

export function eventsNear(store: Store, run: number, seq: number, limit: number, f: EventFilter) {
  const { before, after } = eventsAround(store, run, seq, limit, AROUND_WINDOW, f);
  return { seq, window: AROUND_WINDOW, before: before.map(showEvent), after: after.map(showEvent) };
}

/** How much of the log a folio's story reads around the point it is asked at (the log has no index by folio). */
export const STORY_WINDOW = 2_000_000;
const STORY_LIMIT = 2000;

/**
 * A folio's life: its own events (charge, accesses, activations, sorts, eviction or uncharge) and
 * the splices of the lists of the memcg it was charged to while it lived (a splice moves whole
 * lists, not named folios). On a long log only `STORY_WINDOW` seqs either side of `seq` are read.
 */
export function folioStory(store: Store, run: number, folio: number, seq: number, endSeq: number) {
  const from = endSeq <= 2 * STORY_WINDOW ? 0 : Math.max(0, seq - STORY_WINDOW);
  const to = endSeq <= 2 * STORY_WINDOW ? endSeq : Math.min(endSeq, seq + STORY_WINDOW);
  const own = eventsBetween(store, run, from, to, { folio }, STORY_LIMIT);
  const charge = own.find((e) => e[2] === EventType.charge);
  let splices: EventRow[] = [];
  if (charge) {
    const last = own[own.length - 1][0];
    const ended = own.some((e) => e[2] === EventType.evict || e[2] === EventType.uncharge);
    splices = eventsBetween(store, run, charge[0], ended ? last : to, { type: EventType.splice, memcg: charge[3] }, STORY_LIMIT);
  }
  const events = [...own, ...splices].sort((x, y) => x[0] - y[0]).map(showEvent);
  return { folio, searched: { from: from + 1, to }, truncated: own.length === STORY_LIMIT, events };
}
