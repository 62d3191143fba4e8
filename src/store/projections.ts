import type Database from 'better-sqlite3';
import { EventType, type Event } from '../kernel/events.js';
import type { Store } from './db.js';

/**
 * The `memcgs` table: per memcg, when it was created, went offline and was freed — built from
 * the events alone, so it can be rebuilt from any log.
 */
export class MemcgProjection {
  private readonly paths: Map<number, string>;
  private readonly ins: Database.Statement;
  private readonly off: Database.Statement;
  private readonly free: Database.Statement;

  /** `paths`: the memcgs already created (id → path) when continuing a log from a snapshot. */
  constructor(store: Store, private readonly run: number, paths: Iterable<[number, string]> = [[1, '/']]) {
    this.paths = new Map(paths);
    this.ins = store.sqlite.prepare(
      'INSERT INTO memcgs (run, id, path, parent, created_seq, created_tick) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.off = store.sqlite.prepare('UPDATE memcgs SET offline_seq = ?, offline_tick = ? WHERE run = ? AND id = ?');
    this.free = store.sqlite.prepare('UPDATE memcgs SET freed_seq = ?, freed_tick = ? WHERE run = ? AND id = ?');
  }

  observe(e: Event): void {
    switch (e.type) {
      case EventType.memcg_create: {
        const pp = this.paths.get(e.a) ?? '/';
        const path = pp === '/' ? `/${e.data}` : `${pp}/${e.data}`;
        this.paths.set(e.memcg, path);
        this.ins.run(this.run, e.memcg, path, e.a, e.seq, e.tick);
        return;
      }
      case EventType.memcg_offline:
        this.off.run(e.seq, e.tick, this.run, e.memcg);
        return;
      case EventType.memcg_free:
        this.free.run(e.seq, e.tick, this.run, e.memcg);
        this.paths.delete(e.memcg);
        return;
    }
  }
}

/** Memcgs of a run freed at or before `seq`, from the projection. */
export function freedMemcgs(store: Store, run: number, seq: number): { id: number; path: string }[] {
  return store.sqlite
    .prepare('SELECT id, path FROM memcgs WHERE run = ? AND freed_seq IS NOT NULL AND freed_seq <= ? ORDER BY id')
    .all(run, seq) as { id: number; path: string }[];
}

/** Forget a run's projections (`memcgs`, `samples`), to rebuild them from its log. */
export function clearProjections(store: Store, run: number): void {
  store.sqlite.prepare('DELETE FROM memcgs WHERE run = ?').run(run);
  store.sqlite.prepare('DELETE FROM samples WHERE run = ?').run(run);
}

/** Rows a run has in each projection. */
export function projectionCounts(store: Store, run: number): { memcgs: number; samples: number } {
  const count = (t: string) => store.sqlite.prepare(`SELECT count(*) FROM ${t} WHERE run = ?`).pluck().get(run) as number;
  return { memcgs: count('memcgs'), samples: count('samples') };
}
