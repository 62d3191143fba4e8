import type { Event } from '../kernel/events.js';
import { evolve } from '../kernel/evolve.js';
import { createState } from '../kernel/state.js';
import { foldRun } from '../lab/fold.js';
import { getRun } from '../lab/runs.js';
import { READ_CHUNK, readEvents } from '../store/reader.js';
import { recording, withStore } from './fixture.js';
import { bestOf } from './timing.js';
import { atLeast, type BenchContext, type BenchResult, round } from './types.js';

const SQL = 'SELECT seq, tick, type, memcg, folio, a, b, data FROM events WHERE run = ? AND seq > ? AND seq <= ? ORDER BY seq';

/**
 * replay: the fold of a recorded run (read + evolve, from an empty state) vs a raw
 * `stmt.raw().iterate()` over the same rows. Two more timings say where the time goes:
 * readEvents alone (read + decode into Event objects) and evolve alone over events in memory.
 */
export function benchReplay(ctx: BenchContext): BenchResult[] {
  const rec = recording(ctx);
  const n = rec.events.length;
  return withStore(
    rec.path,
    (store) => {
      const sqlite = store.sqlite;
      const stmt = sqlite.prepare(SQL).raw(true);
      let sink = 0;
      const raw = () => {
        for (const r of stmt.iterate(rec.runId, 0, Number.MAX_SAFE_INTEGER) as IterableIterator<unknown[]>) sink += r[0] as number;
      };
      // The reader's own access path (JSON chunks), without the decode into Event objects.
      const chunk = sqlite
        .prepare(
          'SELECT json_group_array(json_array(seq, tick, type, memcg, folio, a, b, data)) FROM ' +
            '(SELECT seq, tick, type, memcg, folio, a, b, data FROM events WHERE run = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?)',
        )
        .pluck(true);
      const rawJson = () => {
        for (let after = 0; ; ) {
          const rows = JSON.parse(chunk.get(rec.runId, after, Number.MAX_SAFE_INTEGER, READ_CHUNK) as string) as number[][];
          if (rows.length) after = rows[rows.length - 1][0];
          sink += rows.length;
          if (rows.length < READ_CHUNK) break;
        }
      };
      const read = () => {
        for (const e of readEvents(store, rec.runId)) sink += e.seq;
      };
      const run = getRun(store, rec.runId);
      const replay = () => {
        sink += foldRun(store, run).seq;
      };
      const mem: Event[] = rec.events;
      const evolveOnly = () => {
        const s = createState();
        for (let i = 0; i < mem.length; i++) evolve(s, mem[i]);
        sink += s.seq;
      };
      ctx.log(`replay: ${n} events × ${ctx.quick ? 3 : 5} rounds, read+evolve vs raw iterate`);
      const t = bestOf(
        [
          { name: 'raw', fn: raw },
          { name: 'json', fn: rawJson },
          { name: 'read', fn: read },
          { name: 'evolve', fn: evolveOnly },
          { name: 'replay', fn: replay },
        ],
        ctx.quick ? 3 : 5,
      );
      if (sink === 0) throw new Error('replay bench read nothing');
      const ms = (k: string) => t.get(k)!;
      const rate = (k: string) => Math.round(n / (ms(k) / 1000));
      const ratio = round(ms('raw') / ms('replay'));
      const pct = (x: number) => `${Math.round((100 * x) / ms('replay'))}%`;
      const decode = Math.max(0, ms('read') - ms('json'));
      return [
        {
          name: 'replay',
          value: rate('replay'),
          unit: 'events/s',
          baseline: rate('raw'),
          ratio,
          ...atLeast(ratio, 0.5),
          note:
            `read+evolve of ${n} events vs raw stmt.raw().iterate() over the same rows; where replay's time goes: ` +
            `SQLite read as JSON chunks ${pct(ms('json'))}, decode to Event objects ${pct(decode)}, evolve ${pct(ms('evolve'))} ` +
            `(raw iterate ${ms('raw').toFixed(0)} ms, JSON chunks ${ms('json').toFixed(0)} ms, readEvents ${ms('read').toFixed(0)} ms, ` +
            `evolve alone ${ms('evolve').toFixed(0)} ms, replay ${ms('replay').toFixed(0)} ms)`,
        },
        {
          name: 'replay.evolve',
          value: rate('evolve'),
          unit: 'events/s',
          baseline: rate('raw'),
          ratio: round(ms('raw') / ms('evolve')),
          goal: null,
          met: null,
          note: 'evolve alone over the same events held in memory, vs the raw read',
        },
      ];
    },
    true,
  );
}
