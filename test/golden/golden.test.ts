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

function logDigest(db: string, run: number): string {
  const r = cli([
    'query',
    `SELECT seq, tick, type, memcg, folio, a, b, data FROM events WHERE run = ${run} ORDER BY seq`,
    '--csv',
    '--db',
    db,
  ]);
  if (r.code !== 0) throw new Error(r.stderr);
  return createHash('sha256').update(r.stdout).digest('hex');
}

describe('golden state hashes of the shipped experiments', () => {
  const got: Record<string, (typeof GOLDEN)[string]> = {};
  const db = join(dir, 'golden.db');
  for (const file of experiments) {
    for (const [name, args] of variants(file)) {
      const key = `${file} ${name}`;
      it(key, () => {
        const r = cliJson(['run', join('experiments', file), ...args, ...shorter(file), '--db', db]);
        got[key] = { events: r.events, log: logDigest(db, r.id), stateHash: r.stateHash };
        if (process.env.GOLDEN_PRINT) return;
        expect(got[key]).toEqual(GOLDEN[key]);
      });
    }
  }
  it('every pinned case still runs', () => {
    if (process.env.GOLDEN_PRINT) {
      process.stdout.write(`GOLDEN ${JSON.stringify(got, null, 2)}\n`);
      return;
    }
    expect(Object.keys(got).sort()).toEqual(Object.keys(GOLDEN).sort());
  });
});
