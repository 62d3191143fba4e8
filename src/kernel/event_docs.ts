import { type Arg, CATALOGUE, type Column, type EventTypeName } from './events.js';

// The catalogue as documentation: the event_types.columns text and the event_enums rows.

/** What the columns mean for one event type, e.g. `folio, memcg=reclaim target` (the event_types rows). */
export function columnsDoc(name: EventTypeName): string {
  return (CATALOGUE[name].args as readonly Arg[]).map((a) => (a.means ? `${a.col}=${a.means}${enumDoc(a)}` : a.col)).join(', ');
}

/** Enumerations longer than this are counted, not listed, in event_types.columns (event_enums lists them). */
const LISTED_VALUES = 12;

function enumDoc(a: Arg): string {
  const e = a.flags ?? a.values;
  if (!e) return '';
  const all = Object.entries(e);
  if (all.length > LISTED_VALUES) return ` (${all.length} values: see event_enums)`;
  return ` (${all.map(([k, v]) => `${v} ${k}`).join(', ')})`;
}

/** One row per value an enum or flag column takes: the rows of the event_enums table. */
export function enumRows(): { code: number; event: EventTypeName; col: Column; value: number; name: string; kind: 'value' | 'flag' }[] {
  return Object.entries(CATALOGUE).flatMap(([event, d]) =>
    (d.args as readonly Arg[]).flatMap((a) => {
      const e = a.flags ?? a.values;
      const kind = a.flags ? 'flag' : 'value';
      return e
        ? Object.entries(e).map(([name, value]) => ({ code: d.code, event: event as EventTypeName, col: a.col, value, name, kind }))
        : [];
    }),
  );
}
