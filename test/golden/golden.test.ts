import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliJson, ROOT, tempDir } from '../helpers.js';
import { GOLDEN } from './hashes.js';

/**
 * Golden runs: every shipped experiment, under every policy (and MGLRU reparent mode) it can name,
 * at a reduced cycle count, through the real CLI. Pinned: the event count, a digest of the event
 * rows (the log itself) and the final state hash. A refactor keeps all three; a model change moves
 * them on purpose and its commit says why; a new state encoding moves only the state hash.
 * Regenerate with GOLDEN_PRINT=1 npx vitest run test/golden.
 */
const CYCLES = 24;
const dir = tempDir();
const experiments = readdirSync(join(ROOT, 'experiments'))
  .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
  .sort();

/** [name, CLI arguments] per policy the experiment can name */
function variants(file: string): [string, string[]][] {
  const exp = JSON.parse(readFileSync(join(ROOT, 'experiments', file), 'utf8'));
  // a bug variant runs only on the code path that holds it: its own policy and mode, both kernels
  if (exp.policyOptions?.bug)
    return [
      ['bug', []],
      ['bug kernel=v1', ['--set', 'machine.kernel="v1"']],
    ];
  // a race experiment: the schedule that shows it, and the same with the fix
  if (exp.machine?.concurrency?.agingWalk)
    return [
      ['race', []],
      ['race fixed', ['--set', 'machine.switches={"mglru_batch_forwarding":true}']],
    ];
  // kswapd and the offline worker as tasks: the series' mode, on both kernels (the retry is the series')
  if (exp.machine?.concurrency?.offlineWorker)
    return [
      ['reparent/same-gen', []],
      ['reparent/same-gen kernel=v1', ['--set', 'machine.kernel="v1"']],
    ];
  const modes = exp.machine?.lru === 'mglru' ? ['same-gen', 'tail', 'age-order'] : [];
  // the series as posted (machine.kernel v1): tail splices and the v1 lock order, on the series' own mode
  const v1: [string, string[]][] = modes.length
    ? [['reparent/same-gen kernel=v1', ['--policy', 'reparent', '--set', 'policyOptions.mglru="same-gen"', '--set', 'machine.kernel="v1"']]]
    : [];
  return [
    ['legacy', ['--policy', 'legacy']],
    ...(modes.length
      ? modes.map((m): [string, string[]] => [`reparent/${m}`, ['--policy', 'reparent', '--set', `policyOptions.mglru="${m}"`]])
      : [['reparent', ['--policy', 'reparent']] as [string, string[]]]),
    ...v1,
  ];
}

/** Generated workloads run CYCLES cycles; a trace runs whole (its length is the file's). */
function shorter(file: string): string[] {
  const exp = JSON.parse(readFileSync(join(ROOT, 'experiments', file), 'utf8'));
  if (exp.workload?.kind === 'trace') return [];
  // the race experiment is dense (2 MiB, every page mapped): 8 cycles reach the race at seed 1's step 7
  return ['--set', `workload.cycles=${exp.machine?.concurrency?.agingWalk ? 8 : CYCLES}`];
}

/**
 * The digest of each run's log: sha256 of what `query "SELECT seq, …, data FROM events WHERE run = N
 * ORDER BY seq" --csv` prints for it, made from ONE query over every run (a CLI start per run cost
 * ~20 s of the suite): each line minus its leading run column, under the same header.
 */
function logDigests(db: string): Map<number, string> {
  const nl = cli(['query', 'SELECT count(*) AS n FROM events WHERE instr(data, char(10)) > 0', '--json', '--db', db]);
  if (JSON.parse(nl.stdout)[0].n !== 0) throw new Error('a data cell holds a newline: split the CSV by record, not by line');
  const r = cli(['query', 'SELECT run, seq, tick, type, memcg, folio, a, b, data FROM events ORDER BY run, seq', '--csv', '--db', db]);
  if (r.code !== 0) throw new Error(r.stderr);
  const lines = r.stdout.split('\n');
  const header = lines[0].slice(lines[0].indexOf(',') + 1);
  const byRun = new Map<number, string[]>();
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const comma = line.indexOf(',');
    const run = Number(line.slice(0, comma));
    if (!byRun.has(run)) byRun.set(run, [`${header}\n`]);
    byRun.get(run)!.push(`${line.slice(comma + 1)}\n`);
  }
  return new Map([...byRun].map(([run, parts]) => [run, createHash('sha256').update(parts.join('')).digest('hex')]));
}

describe('golden state hashes of the shipped experiments', () => {
  const got: Record<string, (typeof GOLDEN)[string]> = {};
  const runIds = new Map<string, number>();
  const db = join(dir, 'golden.db');
  for (const file of experiments) {
    for (const [name, args] of variants(file)) {
      const key = `${file} ${name}`;
      it(key, () => {
        const r = cliJson(['run', join('experiments', file), ...args, ...shorter(file), '--db', db]);
        runIds.set(key, r.id);
        got[key] = { events: r.events, log: '', stateHash: r.stateHash };
        if (process.env.GOLDEN_PRINT) return;
        expect({ events: r.events, stateHash: r.stateHash }).toEqual({ events: GOLDEN[key]?.events, stateHash: GOLDEN[key]?.stateHash });
      });
    }
  }
  it("every case's log digest", () => {
    const digests = logDigests(db);
    for (const [key, id] of runIds) got[key].log = digests.get(id) ?? '';
    if (process.env.GOLDEN_PRINT) return;
    expect(Object.fromEntries([...runIds.keys()].map((k) => [k, got[k].log]))).toEqual(
      Object.fromEntries([...runIds.keys()].map((k) => [k, GOLDEN[k]?.log])),
    );
  });

  it('every pinned case still runs', () => {
    if (process.env.GOLDEN_PRINT) {
      process.stdout.write(`GOLDEN ${JSON.stringify(got, null, 2)}\n`);
      return;
    }
    expect(Object.keys(got).sort()).toEqual(Object.keys(GOLDEN).sort());
  });
});
