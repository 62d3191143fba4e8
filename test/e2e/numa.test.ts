import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { cli, cliJson, cutAfterSnapshot, eventDigest, tempDir } from '../helpers.js';

// Issue 12 acceptance: a 2-node experiment (experiments/numa-2node.json: MGLRU, interleave, under
// pressure with swap) runs, replays, verifies with every invariant, resumes byte-identical from
// a mid-run snapshot, and `cat` shows both nodes.
const dir = tempDir();
const db = join(dir, 'numa.db');
const exp = join('experiments', 'numa-2node.json');
const small = ['--set', 'workload.cycles=10', '--set', 'snapshotEvery=4000'];

describe('a 2-node experiment through the CLI', () => {
  it('runs, reclaims and reparents on both nodes, replays and verifies with every invariant', () => {
    const run = cliJson(['run', exp, ...small, '--db', db]);
    expect(run.id).toBe(1);
    const q = (sql: string) => cliJson<any[]>(['query', sql, '--db', db]);
    const wakes = q("SELECT a AS nid, count(*) AS n FROM events_v WHERE run = 1 AND type = 'kswapd_wake' GROUP BY a ORDER BY a");
    expect(wakes.map((r) => r.nid)).toEqual([0, 1]);
    const evicted = q("SELECT count(*) AS n FROM events_v WHERE run = 1 AND type = 'evict'");
    expect(evicted[0].n).toBeGreaterThan(0);
    const locks = q(
      "SELECT b / 256 AS nid, count(*) AS n FROM events_v WHERE run = 1 AND type = 'reparent_locks' GROUP BY nid ORDER BY nid",
    );
    expect(locks.map((r) => r.nid)).toEqual([0, 1]);
    const charges = q("SELECT a / 256 AS nid, count(*) AS n FROM events_v WHERE run = 1 AND type = 'charge' GROUP BY 1 ORDER BY 1");
    expect(charges.map((r) => r.nid)).toEqual([0, 1]);

    const replayed = cliJson(['replay', '1', '--db', db]);
    expect(replayed.stateHash).toBe(run.stateHash);
    const v = cli(['verify', '1', '--db', db]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/ok/);
  });

  it('cat shows both nodes: memory.numa_stat N0 and N1 adding up to memory.stat, lru_gen a node block per node', () => {
    const at = ['--db', db, '--cycle', '5'];
    const numa: Record<string, Record<string, number>> = cliJson(['cat', '1', '/system.slice/memory.numa_stat', ...at]).content;
    const stat: Record<string, number> = cliJson(['cat', '1', '/system.slice/memory.stat', ...at]).content;
    for (const key of ['anon', 'file', 'inactive_file', 'active_file', 'workingset_refault_file']) {
      expect(Object.keys(numa[key])).toEqual(['N0', 'N1']);
      expect(numa[key].N0 + numa[key].N1, key).toBe(stat[key]);
    }
    expect(numa.file.N0).toBeGreaterThan(0);
    expect(numa.file.N1).toBeGreaterThan(0);
    const text = cli(['cat', '1', '/system.slice/memory.numa_stat', '--db', db]).stdout;
    expect(text).toMatch(/^file N0=\d+ N1=\d+$/m);
    const lruGen = cli(['cat', '1', '/sys/kernel/debug/lru_gen', '--db', db]).stdout;
    const blocks = lruGen.split('\n').filter((l) => /^ node\s+\d+$/.test(l));
    expect(new Set(blocks.map((l) => l.trim()))).toEqual(new Set(['node     0', 'node     1']));
  });

  it('a run cut after a mid-run snapshot resumes byte-identical to a clean run', () => {
    const cut = cliJson(['run', exp, ...small, '--db', db]);
    const st = openStore(db);
    try {
      const snaps = st.sqlite.prepare('SELECT count(*) FROM snapshots WHERE run = ?').pluck().get(cut.id) as number;
      expect(snaps).toBeGreaterThanOrEqual(3);
      // the snapshots of a 2-node state are format 8 (node count, folio nids, per-node parts)
      const blob = st.sqlite.prepare('SELECT state FROM snapshots WHERE run = ? ORDER BY seq LIMIT 1').pluck().get(cut.id) as Buffer;
      expect(blob[0]).toBe(8);
      cutAfterSnapshot(st, cut.id, 1, 700);
    } finally {
      st.sqlite.close();
    }
    const resumed = cliJson(['resume', String(cut.id), '--db', db]);
    expect(resumed.stateHash).toBe(cliJson(['show', '1', '--db', db]).stateHash);
    expect(eventDigest(db, cut.id)).toEqual(eventDigest(db, 1));
    expect(cli(['verify', String(cut.id), '--check-every', '50', '--db', db]).code).toBe(0); // run 1, the same log, was checked after every event above
  });
});
