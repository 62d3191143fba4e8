import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeStore, openStore } from '../../src/store/db.js';
import { cli, cliJson, cutAfterSnapshot, eventDigest, tempDir } from '../helpers.js';

// The workload shapes of the published reports, through the CLI: pods with containers (double
// death), timer units (cron) and overlapping instances; the cgroup tree at a point (replay --json,
// cat) and resume after a kill, byte-identical.
const dir = tempDir();
let n = 0;

/** A small experiment file with these workload options. */
function experiment(workload: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const file = join(dir, `exp${n++}.json`);
  const w = { kind: 'restart-cycles', sharedFilePages: 16, anonPages: 8, accessesPerCycle: 20, privateFilePages: 2, ...workload };
  writeFileSync(file, JSON.stringify({ machine: { memory: '64MiB' }, workload: w, ...extra }));
  return file;
}

type Tree = { memcgs: { id: number; path: string; state: string; current: number }[] };
const tree = (db: string, run: number, at: string[]): Tree => cliJson(['replay', String(run), ...at, '--db', db]);
const paths = (t: Tree, state?: string) => t.memcgs.filter((m) => !state || m.state === state).map((m) => m.path);
const events = (db: string, run: number, types: string): string[][] =>
  cli(['query', `SELECT type, memcg, a FROM events_v WHERE run = ${run} AND type IN (${types}) ORDER BY seq`, '--csv', '--db', db])
    .stdout.trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));

describe('workload shapes', () => {
  it('a pod with containers: containers die first, then the pod (double death: C→B, then B→A)', () => {
    const db = join(dir, 'pod.db');
    const exp = experiment({ cycles: 2, parent: '/kubepods.slice', unit: 'pod', containers: 2 });
    const legacy = cliJson(['run', exp, '--policy', 'legacy', '--db', db]);
    // legacy: the pods and their containers stay dying, the tree as it was
    expect(paths(tree(db, legacy.id, []), 'dying')).toEqual([
      '/kubepods.slice/pod@1.service',
      '/kubepods.slice/pod@1.service/container0',
      '/kubepods.slice/pod@1.service/container1',
      '/kubepods.slice/pod@2.service',
      '/kubepods.slice/pod@2.service/container0',
      '/kubepods.slice/pod@2.service/container1',
    ]);
    expect(legacy.metrics.nr_dying).toBe(6);
    // the work ran in both containers, none in the pod itself
    const mid = tree(db, legacy.id, ['--cycle', '1']);
    const cur = (p: string) => mid.memcgs.find((m) => m.path === p)!.current;
    expect(cur('/kubepods.slice/pod@1.service/container0')).toBeGreaterThan(0);
    expect(cur('/kubepods.slice/pod@1.service/container1')).toBeGreaterThan(0);
    expect(cur('/kubepods.slice/pod@1.service')).toBe(
      cur('/kubepods.slice/pod@1.service/container0') + cur('/kubepods.slice/pod@1.service/container1'),
    );

    // reparent: each container's objcg goes to the pod, then the pod's (with theirs) to the slice
    const rep = cliJson(['run', exp, '--policy', 'reparent', '--db', db]);
    const byId = new Map(tree(db, legacy.id, []).memcgs.map((m) => [String(m.id), m.path]));
    const chain = events(db, rep.id, "'objcg_reparent'").map(([, c, p]) => `${byId.get(c)} → ${byId.get(p) ?? '?'}`);
    expect(chain.slice(0, 3)).toEqual([
      '/kubepods.slice/pod@1.service/container1 → /kubepods.slice/pod@1.service',
      '/kubepods.slice/pod@1.service/container0 → /kubepods.slice/pod@1.service',
      '/kubepods.slice/pod@1.service → /kubepods.slice',
    ]);
    // right after the containers' reparent the pod is online and holds their pages (C→B happened)
    const seqs = cli([
      'query',
      `SELECT seq FROM events_v WHERE run = ${rep.id} AND type = 'objcg_reparent' ORDER BY seq`,
      '--csv',
      '--db',
      db,
    ])
      .stdout.trim()
      .split('\n')
      .slice(1)
      .map(Number);
    const between = tree(db, rep.id, ['--seq', String(seqs[1])]);
    const pod = between.memcgs.find((m) => m.path === '/kubepods.slice/pod@1.service')!;
    expect(pod.state).toBe('online');
    expect(pod.current).toBeGreaterThan(0);
    const stat = cli(['cat', String(rep.id), '/kubepods.slice/pod@1.service/memory.current', '--seq', String(seqs[1]), '--db', db]);
    expect(Number(stat.stdout.trim())).toBe(pod.current);
    expect(rep.metrics.nr_dying).toBe(0);
  });

  it('timer units: all at once, or staggered over the period', () => {
    const db = join(dir, 'cron.db');
    const once = cliJson(['run', experiment({ cycles: 4, units: 3, every: 2 }), '--policy', 'legacy', '--db', db]);
    expect(paths(tree(db, once.id, ['--cycle', '1']), 'dying')).toEqual([
      '/system.slice/job-0@1.service',
      '/system.slice/job-1@1.service',
      '/system.slice/job-2@1.service',
    ]);
    expect(paths(tree(db, once.id, ['--cycle', '2']), 'dying')).toHaveLength(3); // nothing due in cycle 2
    expect(once.metrics.nr_dying).toBe(6);
    const spread = cliJson(['run', experiment({ cycles: 4, units: 3, every: 2, stagger: true }), '--policy', 'legacy', '--db', db]);
    expect(paths(tree(db, spread.id, ['--cycle', '1']), 'dying')).toEqual([
      '/system.slice/job-0@1.service',
      '/system.slice/job-2@1.service',
    ]);
    expect(paths(tree(db, spread.id, ['--cycle', '2']), 'dying')).toEqual([
      '/system.slice/job-0@1.service',
      '/system.slice/job-2@1.service',
      '/system.slice/job-1@2.service',
    ]);
  });

  it('overlapping instances: the new one starts before the old one is removed', () => {
    const db = join(dir, 'overlap.db');
    const r = cliJson(['run', experiment({ cycles: 3, overlap: 1 }), '--policy', 'legacy', '--db', db]);
    expect(paths(tree(db, r.id, ['--cycle', '1']), 'online')).toEqual(['/', '/system.slice', '/system.slice/job@1.service']);
    const two = tree(db, r.id, ['--cycle', '2']);
    expect(paths(two, 'online')).toEqual(['/', '/system.slice', '/system.slice/job@2.service']);
    expect(paths(two, 'dying')).toEqual(['/system.slice/job@1.service']);
    // job@2 was created while job@1 was still online
    const ev = events(db, r.id, "'memcg_create','memcg_offline'").map(([t, m]) => `${t} ${m}`);
    expect(ev.indexOf('memcg_create 4')).toBeLessThan(ev.indexOf('memcg_offline 3'));
    // the last instance is still running when the run ends
    expect(paths(tree(db, r.id, []), 'online')).toContain('/system.slice/job@3.service');
  });

  it('resume after a kill continues each shape byte-identically (overlap keeps its live instances in the cursor)', () => {
    const db = join(dir, 'resume.db');
    for (const w of [
      { cycles: 8, containers: 2 },
      { cycles: 8, units: 3, every: 2, stagger: true },
      { cycles: 8, overlap: 2, units: 2 },
    ]) {
      const exp = experiment(w, { snapshotEvery: 50, machine: { memory: '2MiB', swap: '4MiB' } });
      for (const policy of ['legacy', 'reparent']) {
        const clean = cliJson(['run', exp, '--policy', policy, '--db', db]);
        const snaps = Number(
          cli(['query', `SELECT count(*) FROM snapshots WHERE run = ${clean.id}`, '--csv', '--db', db]).stdout.split('\n')[1],
        );
        expect(snaps).toBeGreaterThan(2);
        for (const nth of [0, snaps - 2]) {
          const cut = cliJson(['run', exp, '--policy', policy, '--db', db]);
          const s = openStore(db);
          try {
            cutAfterSnapshot(s, cut.id, nth, 40);
          } finally {
            closeStore(s);
          }
          const res = cliJson(['resume', String(cut.id), '--db', db]);
          const what = `${JSON.stringify(w)} ${policy} from snapshot ${nth}`;
          expect(res.stateHash, what).toBe(clean.stateHash);
          expect(eventDigest(db, cut.id), what).toEqual(eventDigest(db, clean.id));
        }
      }
    }
  });

  it('refuses a shared mapping with instances side by side, in one line', () => {
    const r = cli(['run', experiment({ cycles: 2, units: 2, mappedFraction: 0.5 }), '--db', join(dir, 'bad.db')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/mappedFraction.*units > 1 or overlap > 0/);
  });
});
