import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSplice, encodeSplice, SPLICE_SAME_GEN, SPLICE_STALE_ACTIVE_STATS } from '../../src/kernel/events.js';
import { bugMismatch } from '../../src/policy/bugs.js';
import { cli, cliJson, countEvents, tempDir } from '../helpers.js';

// Issue 13: bug variants (policyOptions.bug) put back on purpose; verify catches each at the event
// where the state goes wrong, and the same seed without the bug verifies clean.
const db = join(tempDir(), 'bugs.db');
const short = ['--set', 'workload.cycles=20'];

describe('policyOptions.bug = stale-active-stats (v3 lru_gen_reparent_memcg, Harry Yoo; fixed in v4)', () => {
  it('verify fails at the reparent that left the active/inactive counters stale; without the bug the same seed verifies', () => {
    const bad = cliJson(['run', join('experiments', 'bug-stale-active-stats.json'), ...short, '--db', db]);
    expect(bad.policy).toBe('reparent/same-gen+stale-active-stats');
    const v = cli(['verify', String(bad.id), '--check-every', '1000', '--json', '--db', db]);
    expect(v.code).toBe(1);
    const res = JSON.parse(v.stdout);
    const first = res.violations[0];
    expect(first.invariant).toBe('active-inactive');
    // the event it names closes a reparent: its splices are the ones just before it
    const around = cliJson([
      'query',
      `SELECT t.name FROM events e JOIN event_types t ON t.code = e.type WHERE run = ${bad.id} AND seq BETWEEN ${first.seq - 3} AND ${first.seq} ORDER BY seq`,
      '--json',
      '--db',
      db,
    ]);
    expect(around.map((r: { name: string }) => r.name)).toContain('splice');
    expect(around.at(-1).name).toBe('reparent_unlocks');
    // another stride pins the same event
    const exact = JSON.parse(cli(['verify', String(bad.id), '--check-every', '97', '--json', '--db', db]).stdout);
    expect(exact.violations[0].seq).toBe(first.seq);
    const good = cliJson(['run', join('experiments', 'mglru-reparent.json'), ...short, '--db', db]);
    expect(good.seed).toBe(bad.seed);
    expect(cli(['verify', String(good.id), '--check-every', '1000', '--db', db]).code).toBe(0);
  });

  it('is refused where its code never runs, in one line naming what it needs', () => {
    for (const extra of [
      ['--policy', 'legacy'],
      ['--set', 'policyOptions.mglru="tail"'],
      ['--set', 'machine.lru="classic"'],
    ]) {
      const r = cli(['run', join('experiments', 'bug-stale-active-stats.json'), ...short, ...extra, '--db', db]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/policyOptions\.bug: .*it needs policy reparent, machine\.lru mglru and policyOptions\.mglru same-gen/);
    }
    expect(
      bugMismatch('stale-active-stats', {
        policy: 'reparent',
        lru: 'mglru',
        mglru: 'same-gen',
        cgroupReader: false,
        lruBatch: false,
        agingWalk: false,
      }),
    ).toBeNull();
    expect(
      bugMismatch('no-rcu', {
        policy: 'legacy',
        lru: 'classic',
        mglru: 'same-gen',
        cgroupReader: false,
        lruBatch: false,
        agingWalk: false,
      }),
    ).toMatch(/needs machine\.concurrency\.cgroupReader true/);
  });

  it('the splice event carries the bug (bit 7), so replay applies it without the experiment', () => {
    const b = encodeSplice(2, 1, 2, SPLICE_SAME_GEN) | SPLICE_STALE_ACTIVE_STATS;
    expect(decodeSplice(b)).toEqual({ childGen: 2, type: 1, parentGen: 2, mode: SPLICE_SAME_GEN, staleStats: true });
    expect(decodeSplice(b & ~SPLICE_STALE_ACTIVE_STATS).staleStats).toBe(false);
  });
});

describe('policyOptions.bug = no-rcu (a folio_memcg() reader without rcu_read_lock)', () => {
  it('verify names the dereference of the freed memcg; with the read section the same seed verifies clean', () => {
    const reader = ['--set', 'workload.cycles=8'];
    const bad = cliJson(['run', join('experiments', 'bug-no-rcu.json'), ...reader, '--db', db]);
    expect(bad.policy).toBe('reparent+no-rcu');
    const v = cli(['verify', String(bad.id), '--check-every', '1000', '--json', '--db', db]);
    expect(v.code).toBe(1);
    const first = JSON.parse(v.stdout).violations[0];
    expect(first.invariant).toBe('use-after-free');
    expect(first.type).toBe('memcg_deref');
    // the memcg it names was freed before, in the same run
    const memcg = Number(/memcg (\d+)/.exec(first.detail)![1]);
    const freed = cliJson([
      'query',
      `SELECT max(seq) AS s FROM events e JOIN event_types t ON t.code = e.type WHERE run = ${bad.id} AND t.name = 'memcg_free' AND memcg = ${memcg}`,
      '--json',
      '--db',
      db,
    ]);
    expect(freed[0].s).toBeLessThan(first.seq);
    const good = cliJson([
      'run',
      join('experiments', 'default.json'),
      ...reader,
      '--set',
      'machine.concurrency={"cgroupReader":true}',
      '--db',
      db,
    ]);
    expect(cli(['verify', String(good.id), '--check-every', '1000', '--db', db]).code).toBe(0);
    expect(countEvents(db, good.id, 'rcu_read_lock')).toBeGreaterThan(100);
  });

  it('is refused without the reader it lives in', () => {
    const r = cli(['run', join('experiments', 'bug-no-rcu.json'), '--set', 'machine.concurrency={"cgroupReader":false}', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/policyOptions\.bug: got "no-rcu": .*needs machine\.concurrency\.cgroupReader true/);
  });
});

describe('policyOptions.bug = no-recheck (folio_lruvec_lock without the recheck)', () => {
  it("verify names the activation under the dead child's lock; the protocol retries instead and verifies clean", () => {
    const short = ['--set', 'workload.cycles=2'];
    const bad = cliJson(['run', join('experiments', 'bug-no-recheck.json'), ...short, '--db', db]);
    expect(bad.policy).toBe('reparent+no-recheck');
    const v = cli(['verify', String(bad.id), '--check-every', '1000', '--json', '--db', db]);
    expect(v.code).toBe(1);
    const first = JSON.parse(v.stdout).violations[0];
    expect([first.invariant, first.type]).toEqual(['wrong-lock', 'activate']);
    // the same schedule with the recheck: one retry at that point, then the activation under the right lock
    const good = cliJson([
      'run',
      join('experiments', 'restart-pressure.json'),
      ...short,
      '--seed',
      '2',
      '--set',
      'machine.concurrency={"lruBatch":true,"stepProbability":0.05}',
      '--db',
      db,
    ]);
    expect(cli(['verify', String(good.id), '--check-every', '1000', '--db', db]).code).toBe(0);
    const rows = cliJson([
      'query',
      `SELECT t.name FROM events e JOIN event_types t ON t.code = e.type WHERE run = ${good.id} AND seq BETWEEN ${first.seq} AND ${first.seq + 1} ORDER BY seq`,
      '--json',
      '--db',
      db,
    ]);
    expect(rows.map((r: { name: string }) => r.name)).toEqual(['lruvec_lock_retry', 'activate']);
  });

  it('the activate batch is refused on MGLRU (which never activates on access), in one line', () => {
    const r = cli(['run', join('experiments', 'bug-no-recheck.json'), '--set', 'machine.lru="mglru"', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/machine\.concurrency\.lruBatch: got true: .*needs machine\.lru "classic"/);
  });
});

describe('policyOptions.bug = unbounded-retry (get_mem_cgroup_from_folio() without re-reading folio_memcg())', () => {
  it("verify names the css_tryget past the bound; the series' loop re-reads, retries once and verifies clean", () => {
    const short = ['--set', 'workload.cycles=2'];
    const bad = cliJson(['run', join('experiments', 'bug-unbounded-retry.json'), ...short, '--db', db]);
    expect(bad.policy).toBe('reparent+unbounded-retry');
    const v = cli(['verify', String(bad.id), '--json', '--db', db]);
    expect(v.code).toBe(1);
    const first = JSON.parse(v.stdout).violations[0];
    expect([first.invariant, first.type]).toEqual(['bounded-retries', 'css_tryget']);
    const [, memcg, bound] = /css_tryget on memcg (\d+) failed \d+ times by seq \d+, past its bound (\d+)/.exec(first.detail)!.map(Number);
    const sql = (run: number, where: string) =>
      cliJson([
        'query',
        `SELECT seq, t.name, memcg, b FROM events e JOIN event_types t ON t.code = e.type WHERE run = ${run} AND ${where} ORDER BY seq`,
        '--json',
        '--db',
        db,
      ]) as { seq: number; name: string; memcg: number; b: number }[];
    // bound + 1 failures on the same memcg, the last one at the seq verify names
    const fails = sql(bad.id, `t.name = 'css_tryget' AND b = 0 AND seq <= ${first.seq}`).slice(-(bound + 1));
    expect(fails.map((r) => r.memcg)).toEqual(Array(bound + 1).fill(memcg));
    expect(fails.at(-1)!.seq).toBe(first.seq);
    // the same seed with the series' loop: the read after the first failure climbs to the parent and the call ends
    const good = cliJson([
      'run',
      join('experiments', 'default.json'),
      ...short,
      '--set',
      'machine.concurrency={"memcgGetter":true}',
      '--db',
      db,
    ]);
    expect(good.seed).toBe(bad.seed);
    expect(cli(['verify', String(good.id), '--db', db]).code).toBe(0);
    const at = sql(good.id, `seq BETWEEN ${fails[0].seq} AND ${fails[0].seq + 2}`).map((r) => `${r.name} ${r.b}`);
    expect(at).toEqual(['css_tryget 0', 'memcg_get_read 1', 'css_tryget 1']);
    // counted: failed css_trygets (retries) > 0, and no call retried more than once
    const [n] = cliJson([
      'query',
      `SELECT sum(t.name = 'css_tryget' AND b = 0) AS retries, max(CASE WHEN t.name = 'memcg_get_read' THEN b END) AS most FROM events e JOIN event_types t ON t.code = e.type WHERE run = ${good.id}`,
      '--json',
      '--db',
      db,
    ]);
    expect(n.retries).toBeGreaterThan(0);
    expect(n.most).toBe(1);
  });

  it('is refused without the getter it lives in', () => {
    const r = cli([
      'run',
      join('experiments', 'bug-unbounded-retry.json'),
      '--set',
      'machine.concurrency={"cgroupReader":true}',
      '--db',
      db,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/policyOptions\.bug: got "unbounded-retry": .*needs machine\.concurrency\.memcgGetter true/);
  });
});

describe('policyOptions.bug = split-queue-no-recheck (split_queue_lock without the css_is_dying recheck)', () => {
  it("verify names the folio queued on the reparented child's split queue; the series' recheck retries to the parent and verifies clean", () => {
    const three = ['--set', 'workload.cycles=3'];
    const exp = join('experiments', 'bug-split-queue-no-recheck.json');
    const bad = cliJson(['run', exp, ...three, '--db', db]);
    expect(bad.policy).toBe('reparent+split-queue-no-recheck');
    const v = cli(['verify', String(bad.id), '--json', '--db', db]);
    expect(v.code).toBe(1);
    const first = JSON.parse(v.stdout).violations[0];
    expect([first.invariant, first.type]).toEqual(['split-queue', 'deferred_split_queue']);
    expect(first.detail).toMatch(/deferred split queue was reparented, yet folio \d+ is on it/);
    // replay and cat work there, and replay shows the queue the folio landed on
    const r = cli(['replay', String(bad.id), '--seq', String(first.seq), '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/deferred split queues[\s\S]*job@\d+\.service\s+1\s+\d+\s+yes/);
    expect(cli(['cat', String(bad.id), '/system.slice/memory.stat', '--seq', String(first.seq), '--db', db]).code).toBe(0);
    // lockdep reads the split queue reparent too: child then parent (SINGLE_DEPTH_NESTING), no report
    const ld = cli(['lockdep', String(bad.id), '--db', db]);
    expect(ld.code).toBe(0);
    expect(ld.stdout).toContain('split_queue_lock/0 -> split_queue_lock/1');
    // the same seed with the recheck: at that point a retry, then the folio goes on the parent's queue
    const good = cliJson(['run', exp, ...three, '--set', 'policyOptions={}', '--db', db]);
    expect(good.seed).toBe(bad.seed);
    expect(cli(['verify', String(good.id), '--db', db]).code).toBe(0);
    const rows = cliJson([
      'query',
      `SELECT t.name, e.memcg FROM events e JOIN event_types t ON t.code = e.type WHERE run = ${good.id} AND seq BETWEEN ${first.seq} AND ${first.seq + 1} ORDER BY seq`,
      '--json',
      '--db',
      db,
    ]);
    expect(rows.map((x: { name: string }) => x.name)).toEqual(['split_queue_lock_retry', 'deferred_split_queue']);
    expect(rows[1].memcg).toBe(2); // /system.slice
    expect(countEvents(db, good.id, 'split_queue_reparent')).toBe(3);
  });

  it('is refused where the split queue is not modelled, in one line each', () => {
    const exp = join('experiments', 'bug-split-queue-no-recheck.json');
    const off = cli(['run', exp, '--set', 'machine.concurrency={"thpSplitQueue":false}', '--db', db]);
    expect(off.code).toBe(1);
    expect(off.stderr).toMatch(
      /policyOptions\.bug: got "split-queue-no-recheck": .*needs policy reparent and machine\.concurrency\.thpSplitQueue true/,
    );
    const legacy = cli(['run', exp, '--policy', 'legacy', '--set', 'policyOptions={}', '--db', db]);
    expect(legacy.code).toBe(1);
    expect(legacy.stderr.trim().split('\n')).toHaveLength(1);
    expect(legacy.stderr).toMatch(/machine\.concurrency\.thpSplitQueue: got true: .*needs policy "reparent"/);
  });
});
