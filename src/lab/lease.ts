import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { LeaseHolder, RunRow } from '../store/runs.js';

/**
 * Run ownership is a lease, not a pid: the writer records its host, boot id, pid and the pid's
 * start time, and renews a heartbeat at every commit and at least every lease/6 ms. A run whose
 * heartbeat is older than its lease is interrupted, whoever has that pid now; on the writer's own
 * host and boot, a holder process that is gone (or whose pid now belongs to another process) ends
 * the lease at once. MEMCGLAB_LEASE_MS sets the lease (default 30 s).
 */
export const DEFAULT_LEASE_MS = 30_000;

export function leaseMs(): number {
  const v = Number(process.env.MEMCGLAB_LEASE_MS);
  return Number.isFinite(v) && v >= 100 ? Math.floor(v) : DEFAULT_LEASE_MS;
}

/** How often a writer renews: well within the lease. */
export function renewEveryMs(lease = leaseMs()): number {
  return Math.max(50, Math.floor(lease / 6));
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** A process's start time (clock ticks since boot, /proc/<pid>/stat field 22); null when unknown or gone. */
export function processStart(pid: number): number | null {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // after "pid (comm) "
  const v = Number(fields[19]);
  return Number.isFinite(v) ? v : null;
}

/** The pid namespace (readlink /proc/self/ns/pid): a pid means something only inside its own. */
function pidNamespace(): string {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return 'unknown';
  }
}

let self: LeaseHolder | undefined;
/** This process as a lease holder. */
export function thisHolder(): LeaseHolder {
  self ??= {
    pid: process.pid,
    host: hostname(),
    // boot id and pid namespace: "<boot_id> <pid:[ns]>"; the pid check below needs both to match
    bootId: `${read('/proc/sys/kernel/random/boot_id') ?? 'unknown'} ${pidNamespace()}`,
    holderStart: processStart(process.pid),
    leaseMs: leaseMs(),
  };
  return self;
}

/** Whether the writer recorded in a `running` row still holds its lease at `now`. */
export function leaseHeld(r: RunRow, now = Date.now()): boolean {
  if (r.status !== 'running' || r.heartbeat === null || r.pid === null) return false;
  const me = thisHolder();
  const [boot, pidns] = (r.bootId ?? '').split(' ');
  const [myBoot, myPidns] = me.bootId.split(' ');
  if (r.host === me.host && boot !== myBoot) return false; // the machine rebooted since
  if (r.host === me.host) {
    // same machine, same boot: a holder in our pid namespace can be checked as a process; one in
    // another namespace (a container) only by its heartbeat, since its pid means nothing here
    if (pidns === myPidns && (r.pid !== me.pid || r.holderStart !== me.holderStart)) {
      const start = processStart(r.pid);
      if (start === null || (r.holderStart !== null && start !== r.holderStart)) return false; // gone, or the pid was reused
    }
  }
  return now - r.heartbeat <= (r.leaseMs ?? leaseMs());
}

/** "host h, pid p (heartbeat 0.3 s ago, lease 30 s)": who holds a run, for refusals. */
export function describeHolder(r: RunRow, now = Date.now()): string {
  const ago = r.heartbeat === null ? 'no heartbeat' : `heartbeat ${((now - r.heartbeat) / 1000).toFixed(1)} s ago`;
  return `host ${r.host ?? '?'}, pid ${r.pid ?? '?'} (${ago}, lease ${((r.leaseMs ?? leaseMs()) / 1000).toFixed(1)} s)`;
}
