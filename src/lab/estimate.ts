import { totalmem } from 'node:os';
import { LabError } from '../errors.js';
import { PAGE_SIZE } from '../kernel/constants.js';
import { type Experiment, workloadKind } from './experiment.js';

/** Default --max-events: 200 M events is ~6 GB of log and tens of minutes of simulation. */
export const DEFAULT_MAX_EVENTS = 200_000_000;
/** Bytes of simulator memory per resident page (folio, list links, page cache entry) and per cgroup, measured loosely. */
const BYTES_PER_PAGE = 400;
const BYTES_PER_CGROUP = 4096;
/** Bytes one event costs on disk, about (DESIGN §4). */
const BYTES_PER_EVENT = 30;

export interface Estimate {
  events: number;
  /** bytes of memory the simulation holds, about */
  memory: number;
  /** bytes of event log, about */
  log: number;
}

const fmt = (n: number) =>
  n >= 1e9 ? `${(n / 1e9).toPrecision(3)}e9` : n >= 1e6 ? `${(n / 1e6).toPrecision(3)} M` : String(Math.round(n));
const gib = (b: number) => `${(b / 1024 ** 3).toFixed(1)} GiB`;

export function estimate(exp: Experiment): Estimate {
  const w = workloadKind(exp.workload).estimate(exp.workload);
  const resident = Math.min(w.pages, Math.floor(exp.machine.memory / PAGE_SIZE));
  return { events: w.events, memory: resident * BYTES_PER_PAGE + w.cgroups * BYTES_PER_CGROUP, log: w.events * BYTES_PER_EVENT };
}

/**
 * Refuse, before anything is written, a run bigger than --max-events or than this machine's
 * memory, with the estimate in the message.
 */
export function checkEstimate(exp: Experiment, maxEvents = DEFAULT_MAX_EVENTS): Estimate {
  const e = estimate(exp);
  const w = exp.workload as Record<string, unknown>;
  const biggest = ['cycles', 'accessesPerCycle', 'sharedFilePages', 'anonPages', 'privateFilePages']
    .filter((k) => typeof w[k] === 'number')
    .sort((a, b) => (w[b] as number) - (w[a] as number))[0];
  const hint = biggest ? ` (workload.${biggest} = ${w[biggest]})` : '';
  if (!Number.isFinite(e.events) || e.events > maxEvents) {
    throw new LabError(
      `the experiment would append about ${fmt(e.events)} events (~${gib(e.log)} of log)${hint}, more than --max-events ${maxEvents}; ` +
        'make it smaller, or raise --max-events if you mean it',
    );
  }
  const avail = totalmem() / 2;
  if (!Number.isFinite(e.memory) || e.memory > avail) {
    throw new LabError(
      `the experiment would hold about ${gib(e.memory)} of simulated pages in memory${hint}, more than half of this machine's ${gib(totalmem())}; make it smaller`,
    );
  }
  return e;
}
