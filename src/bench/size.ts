import { eventStorage } from '../store/stats.js';
import { recording, withStore } from './fixture.js';
import { atMost, type BenchContext, type BenchResult, round } from './types.js';

/**
 * size: bytes per event on disk — the pages of the `events` table (dbstat) divided by the rows,
 * for a database holding one run. Baseline: the record payload alone (the values as SQLite encodes
 * them, without b-tree page overhead). Goal <= 32 bytes/event.
 */
export function benchSize(ctx: BenchContext): BenchResult[] {
  const rec = recording(ctx);
  return withStore(
    rec.path,
    (store) => {
      const { rows: n, pages, payload, how, query, file } = eventStorage(store, rec.runId);
      const value = round(pages / n, 2);
      const baseline = payload === null ? null : round(payload / n, 2);
      return [
        {
          name: 'size',
          value,
          unit: 'bytes/event',
          baseline,
          ratio: baseline === null ? null : round(value / baseline),
          ...atMost(value, 32, 'bytes/event'),
          note: `${how}, ${n} events of one run; baseline: record payload bytes/event; whole file ${round(file / n, 2)} bytes/event`,
        },
        ...(query
          ? [
              {
                name: 'size.query',
                value: round(Object.values(query).reduce((a, b) => a + b, 0) / n, 2),
                unit: 'bytes/event',
                baseline: null,
                ratio: null,
                goal: null,
                met: null,
                note: `the query projections and their indexes, dbstat pages per event of the log: ${Object.entries(query)
                  .map(([k, v]) => `${k} ${round(v / n, 2)}`)
                  .join(', ')}`,
              },
            ]
          : []),
      ];
    },
    true,
  );
}
