import { describe, expect, it } from 'vitest';
import { leaseHeld, thisHolder } from '../../src/lab/lease.js';
import type { RunRow } from '../../src/store/runs.js';

/** A running row held by a writer with the given pid and boot-id/pid-namespace string. */
function row(pid: number, bootId: string, heartbeatAgo: number, now: number): RunRow {
  const me = thisHolder();
  return { status: 'running', pid, host: me.host, bootId, holderStart: 12345, heartbeat: now - heartbeatAgo, leaseMs: 30_000 } as RunRow;
}

describe('run leases across boots and pid namespaces', () => {
  const now = Date.now();
  const [boot, pidns] = thisHolder().bootId.split(' ');
  const gonePid = 2 ** 22 + 7; // above pid_max's default range: no such process here

  it('a holder in our pid namespace whose process is gone has lost the lease at once', () => {
    expect(leaseHeld(row(gonePid, `${boot} ${pidns}`, 1000, now), now)).toBe(false);
  });
  it('a holder in another pid namespace (a container on this host) is judged by its heartbeat only: its pid means nothing here', () => {
    expect(leaseHeld(row(gonePid, `${boot} pid:[1]`, 1000, now), now)).toBe(true);
    expect(leaseHeld(row(gonePid, `${boot} pid:[1]`, 60_000, now), now)).toBe(false);
  });
  it('a holder from an earlier boot of this host is gone', () => {
    expect(leaseHeld(row(gonePid, `another-boot ${pidns}`, 1000, now), now)).toBe(false);
  });
});
