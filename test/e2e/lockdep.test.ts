import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliJson, tempDir } from '../helpers.js';

// Issue 13: the lockdep-style check over the lock-order record, through the CLI. The issue expected
// the subclass overflow under 7.1; the 7.1 source takes one node's pair of lruvec locks at a time
// (subclasses 1 and 2: reparent_locks in mm/memcontrol.c), so it is the posted v1 (every node's pair
// at once, subclass nest++) that overflows beyond 4 nodes.
const db = join(tempDir(), 'lockdep.db');
const exp = join('experiments', 'numa-2node.json');

function runOn(kernel: string, nodes: number): number {
  return cliJson([
    'run',
    exp,
    '--set',
    'workload.cycles=3',
    '--set',
    `machine.nodes=${nodes}`,
    '--set',
    `machine.kernel="${kernel}"`,
    '--db',
    db,
  ]).id;
}

describe('lockdep <run>', () => {
  it('v1 on 6 nodes: "looking up invalid subclass: 8" at the first reparent, exit 1; 7.1 on 6 and v1 on 2 nodes: nothing, exit 0', () => {
    const bad = runOn('v1', 6);
    const out = cli(['lockdep', String(bad), '--db', db]);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/1 lockdep report\n/);
    expect(out.stdout).toMatch(/seq \d+: BUG: looking up invalid subclass: 8 /);
    const js = cli(['lockdep', String(bad), '--db', db, '--json']);
    expect(js.code).toBe(1); // the same exit code with --json
    const j = JSON.parse(js.stdout);
    expect(j.nodes).toBe(6);
    const firstLocks = cliJson([
      'query',
      `SELECT min(seq) AS s FROM events e JOIN event_types t ON t.code = e.type WHERE t.name = 'reparent_locks' AND run = ${bad}`,
      '--db',
      db,
      '--json',
    ]);
    expect(j.reports[0].seq).toBe(firstLocks[0].s);
    for (const [kernel, nodes] of [
      ['7.1', 6],
      ['v1', 2],
    ] as const) {
      const ok = runOn(kernel, nodes);
      const r = cli(['lockdep', String(ok), '--db', db]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^run ${ok}: \\d+ reparent lock steps on ${nodes} nodes, no lockdep reports`));
    }
  });

  it('an unknown run: one line, exit 1', () => {
    const r = cli(['lockdep', '999', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
