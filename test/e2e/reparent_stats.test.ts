import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers.js';

// The parent's memory.stat right before a memcg goes offline and right after its reparent (the
// memcg freed), through the real CLI: `cat <run> /system.slice/memory.stat --json --seq N` at
// offline_seq - 1 and freed_seq from the memcgs projection. memory.stat is hierarchical (cgroup
// v2: rstat sums, no local values shown), and under cgroup v2 get_non_dying_memcg_start() and
// reparent_state_local() do nothing (issue12-kernel §3.2, §3.3). So:
// - classic LRU (lru_reparent_memcg: list_splice_tail_init, lru_zone_size only): every key equal;
// - MGLRU (lru_gen_reparent_memcg): every key equal except active_*/inactive_*, whose sum per
//   type is conserved: max_lru_gen_memcg ages the parent (gen max_seq-1 turns inactive) and a
//   child gen index whose activity differs in the parent moves between the two (§3.4).
const dir = tempDir();
const db = join(dir, 'stats.db');
// 3 MiB: enough pressure that reclaim ages /system.slice between reparents (at 4 MiB and 10
// cycles it never ages under 7.1, and every child gen lands on an index of the same activity)
const small = ['--set', 'workload.cycles=10', '--set', 'machine.memory="3MiB"'];
const SPLIT = ['active_anon', 'inactive_anon', 'active_file', 'inactive_file'];

function ok(args: string[]): string {
  const r = cli([...args, '--db', db]);
  if (r.code !== 0) throw new Error(`memcglab ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const json = <T = any>(args: string[]): T => JSON.parse(ok([...args, '--json'])) as T;

function run(sets: string[]): number {
  return json(['run', 'experiments/mglru-reparent.json', '--policy', 'reparent', ...small, ...sets]).id;
}

interface Life {
  id: number;
  offline_seq: number;
  freed_seq: number;
}

/** Every job memcg that went offline and was freed, with the seqs around its reparent. */
function reparented(runId: number): Life[] {
  return json<Life[]>([
    'query',
    `SELECT id, offline_seq, freed_seq FROM memcgs WHERE run = ${runId} AND offline_seq IS NOT NULL AND freed_seq IS NOT NULL ORDER BY id`,
  ]);
}

/**
 * /system.slice's memory.stat right before the offline and right after the reparent, from one
 * `diff --all --json` (both points replayed by the CLI, every key listed: the cat --json values).
 */
function around(runId: number, l: Life): { before: Record<string, number>; after: Record<string, number> } {
  const d = json<any>([
    'diff',
    String(runId),
    '--from',
    `seq:${l.offline_seq - 1}`,
    '--to',
    `seq:${l.freed_seq}`,
    '--cgroup',
    '/system.slice',
    '--all',
  ]);
  const keys: Record<string, { from: number; to: number }> = d.cgroups[0].files['memory.stat'];
  const before: Record<string, number> = {};
  const after: Record<string, number> = {};
  for (const [k, v] of Object.entries(keys)) {
    before[k] = v.from;
    after[k] = v.to;
  }
  return { before, after };
}

/** Lists the reparents moved: each child's splices between its offline and its free, in one query. */
function splices(runId: number, lives: Life[]): number {
  return json<{ n: number }[]>([
    'query',
    `SELECT count(*) AS n FROM events_v e JOIN memcgs m ON m.run = e.run AND m.id = e.memcg WHERE e.run = ${runId} AND e.type = 'splice' AND e.seq BETWEEN m.offline_seq AND m.freed_seq AND m.id IN (${lives.map((l) => l.id).join(',')})`,
  ])[0].n;
}

describe("the parent's memory.stat across a reparent (cgroup v2)", () => {
  it('classic LRU: identical in every key, before the offline and after the reparent', () => {
    const id = run(['--set', 'machine.lru="classic"']);
    const lives = reparented(id);
    expect(lives.length).toBeGreaterThanOrEqual(8);
    for (const l of lives) {
      const { before, after } = around(id, l);
      expect(Object.keys(before).length).toBeGreaterThan(20);
      expect(after, `memcg ${l.id}`).toEqual(before);
    }
    expect(splices(id, lives)).toBeGreaterThan(0); // the reparents moved lists: the equality is not vacuous
  });

  for (const kernel of ['7.1', 'v1']) {
    it(`MGLRU (${kernel}): identical except active_*/inactive_*, whose sum per type is conserved`, () => {
      const id = run(['--set', `machine.kernel="${kernel}"`]);
      const lives = reparented(id);
      expect(lives.length).toBeGreaterThanOrEqual(8);
      let splitMoved = 0;
      for (const l of lives) {
        const { before, after } = around(id, l);
        const rest = (s: Record<string, number>) => Object.fromEntries(Object.entries(s).filter(([k]) => !SPLIT.includes(k)));
        expect(rest(after), `memcg ${l.id}`).toEqual(rest(before));
        for (const t of ['anon', 'file']) {
          expect(after[`active_${t}`] + after[`inactive_${t}`], `memcg ${l.id} ${t}`).toBe(before[`active_${t}`] + before[`inactive_${t}`]);
        }
        if (SPLIT.some((k) => after[k] !== before[k])) splitMoved++;
      }
      // the "identical in every key" does not hold under MGLRU: some reparents move pages
      // between active and inactive (the data shows it in most of them)
      expect(splitMoved).toBeGreaterThan(0);
      process.stdout.write(`MGLRU ${kernel}: ${splitMoved} of ${lives.length} reparents changed the parent's active/inactive split\n`);
    });
  }
});
