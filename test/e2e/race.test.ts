import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliJson, countEvents, tempDir } from '../helpers.js';

// Issue 13: the stale aging batch (Peiyang He, after the merge). With the MGLRU walk as a task of
// its own (machine.concurrency.agingWalk), a batch pending across the reparent of its memcg is
// written into the dead child; explore finds it, verify names the same event in a real run, and
// the posted fix (machine.switches.mglru_batch_forwarding) makes the same seeds clean.
const db = join(tempDir(), 'race.db');
const exp = join('experiments', 'race-aging-batch.json');
const short = ['--set', 'workload.cycles=4'];
const fix = ['--set', 'machine.switches={"mglru_batch_forwarding":true}'];

describe('explore and the stale aging batch', () => {
  it('explore (7.1, no bug set) stops at the first schedule that breaks nr_pages; the run it prints verifies to the same seq', () => {
    const r = cli(['explore', exp, ...short, '--seed', '2', '--schedules', '3', '--jobs', '1', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.failed.invariant).toBe('nr_pages');
    expect(j.failed.type).toBe('reparent_unlocks');
    expect(j.failed.repro).toContain(`--seed ${j.failed.seed}`);
    const run = cliJson(['run', exp, ...short, '--seed', String(j.failed.seed), '--db', db]);
    const v = cli(['verify', String(run.id), '--check-every', '1000', '--json', '--db', db]);
    expect(v.code).toBe(1);
    expect(JSON.parse(v.stdout).violations[0].seq).toBe(j.failed.seq);
    // the log shows the interleaving: the walk started before the job exited and flushed after its reparent
    const order = cliJson([
      'query',
      `SELECT t.name FROM events e JOIN event_types t ON t.code = e.type WHERE run = ${run.id} AND t.name IN ('walk_start','job_exit','reparent_unlocks','walk_flush') AND seq <= ${j.failed.seq + 10} ORDER BY seq`,
      '--json',
      '--db',
      db,
    ]).map((x: { name: string }) => x.name);
    expect(order.slice(-4)).toEqual(['walk_start', 'job_exit', 'reparent_unlocks', 'walk_flush']);
  });

  it('with the fix the same seeds break nothing, on two workers; the fixed run verifies', () => {
    const r = cli(['explore', exp, ...short, ...fix, '--schedules', '4', '--jobs', '2', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schedules).toBe(4);
    expect(j.failed).toBeNull();
    const run = cliJson(['run', exp, ...short, ...fix, '--db', db]);
    expect(cli(['verify', String(run.id), '--check-every', '1000', '--db', db]).code).toBe(0);
    expect(countEvents(db, run.id, 'walk_forward')).toBeGreaterThan(0);
  });

  it('policyOptions.bug=walk-batch-race keeps the 7.1 code with the fix switched on: the same log, and verify breaks it', () => {
    const seed = ['--seed', '2'];
    const plain = cliJson(['run', exp, ...short, ...seed, '--db', db]);
    const bug = cliJson(['run', exp, ...short, ...seed, ...fix, '--set', 'policyOptions.bug="walk-batch-race"', '--db', db]);
    expect(bug.policy).toMatch(/\+walk-batch-race$/);
    expect([bug.events, bug.stateHash]).toEqual([plain.events, plain.stateHash]);
    const v = cli(['verify', String(bug.id), '--json', '--db', db]);
    expect(v.code).toBe(1);
    expect(JSON.parse(v.stdout).violations[0].invariant).toBe('nr_pages');
    const off = cli([
      'run',
      exp,
      ...short,
      '--set',
      'machine.concurrency.agingWalk=false',
      '--set',
      'policyOptions.bug="walk-batch-race"',
      '--db',
      db,
    ]);
    expect(off.code).toBe(1);
    expect(off.stderr).toMatch(/needs policy reparent, machine\.lru mglru and machine\.concurrency\.agingWalk true/);
  });

  it('--shrink: the same seed on a smaller experiment breaks the same invariant, and its printed run verifies to that seq', () => {
    const rcu = join('experiments', 'bug-no-rcu.json');
    const r = cli(['explore', rcu, '--schedules', '2', '--jobs', '1', '--shrink', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout).failed;
    expect(j.invariant).toBe('use-after-free');
    const sh = j.shrunk;
    // cut after the failing step at least (and halved further while it still fails)
    const cycles = (sh.sets as string[]).find((x) => x.startsWith('workload.cycles='));
    expect(Number(cycles?.split('=')[1])).toBeLessThanOrEqual(j.step);
    expect(sh.events).toBeLessThan(j.seq / 4);
    expect(sh.trials).toBeGreaterThan(0);
    const sets = (sh.sets as string[]).flatMap((x) => ['--set', x]);
    const run = cliJson(['run', rcu, '--seed', String(j.seed), ...sets, '--db', db]);
    const v = cli(['verify', String(run.id), '--check-every', '100', '--json', '--db', db]);
    expect(v.code).toBe(1);
    const first = JSON.parse(v.stdout).violations[0];
    expect([first.seq, first.invariant]).toEqual([sh.seq, 'use-after-free']);
  });

  it('kswapd and the offline worker as tasks: the series rechecks and retries when kswapd empties the parent oldest gen in between', () => {
    // seed 1 retries once, at cycle 33 (README, Concurrency); the run stops there
    const retry = join('experiments', 'race-reparent-retry.json');
    const run = cliJson(['run', retry, '--set', 'workload.cycles=33', '--db', db]);
    expect(run.metrics.reparent_retries).toBe(1);
    expect(cli(['verify', String(run.id), '--db', db]).code).toBe(0);
    // the retry's unlock (b = 1) comes after kswapd evicted between the aging and the first locks
    const rows = cliJson([
      'query',
      `SELECT t.name, e.b FROM events e JOIN event_types t ON t.code = e.type WHERE run = ${run.id} AND t.name IN ('kill_css','reparent_locks','evict','inc_min_seq','reparent_unlocks','offline_css_done') AND seq >= (SELECT max(seq) FROM events WHERE run = ${run.id} AND type = (SELECT code FROM event_types WHERE name = 'kill_css')) ORDER BY seq`,
      '--json',
      '--db',
      db,
    ]).map((x: { name: string; b: number }) => (x.name === 'reparent_unlocks' ? `unlocks ${x.b % 256}` : x.name));
    const names = [...new Set(rows)];
    expect(names[0]).toBe('kill_css');
    expect(rows.indexOf('evict')).toBeLessThan(rows.indexOf('reparent_locks'));
    expect(rows.filter((n: string) => n === 'reparent_locks')).toHaveLength(2);
    expect(rows.indexOf('unlocks 1')).toBeLessThan(rows.lastIndexOf('reparent_locks'));
    expect(rows.at(-1)).toBe('offline_css_done');
  });

  it('bad arguments: one line, exit 1', () => {
    for (const args of [
      ['--schedules', '0'],
      ['--jobs', '0'],
      ['--seed', 'x'],
      ['--set', 'machine.lru="classic"'],
    ]) {
      const r = cli(['explore', exp, ...args]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    // the walk is MGLRU aging: on a classic machine the option is refused, not ignored
    expect(cli(['run', exp, '--set', 'machine.lru="classic"']).stderr).toMatch(
      /machine\.concurrency\.agingWalk: got true: .*needs machine\.lru "mglru"/,
    );
  });
});
