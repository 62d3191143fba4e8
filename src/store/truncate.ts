import type { Store } from './db.js';

/**
 * Forget everything a run wrote after `seq`: events, snapshots, chain rows and the projections (samples,
 * cycles, evictions, refaults, splices, memcgs rows and the offline/freed marks set by later events). Leaves the run as it stood right
 * after event `seq`, so a resumed writer can append from there. Call inside a transaction.
 */
export function truncateRunAfter(store: Store, run: number, seq: number): void {
  const { sqlite } = store;
  sqlite.prepare('DELETE FROM events WHERE run = ? AND seq > ?').run(run, seq);
  sqlite.prepare('DELETE FROM snapshots WHERE run = ? AND seq > ?').run(run, seq);
  sqlite.prepare('DELETE FROM chain WHERE run = ? AND seq > ?').run(run, seq);
  for (const t of ['samples', 'cycles', 'evictions', 'refaults', 'splices'])
    sqlite.prepare(`DELETE FROM ${t} WHERE run = ? AND seq > ?`).run(run, seq);
  sqlite.prepare('DELETE FROM memcgs WHERE run = ? AND created_seq > ?').run(run, seq);
  sqlite.prepare('UPDATE memcgs SET offline_seq = NULL, offline_tick = NULL WHERE run = ? AND offline_seq > ?').run(run, seq);
  sqlite.prepare('UPDATE memcgs SET freed_seq = NULL, freed_tick = NULL WHERE run = ? AND freed_seq > ?').run(run, seq);
}
