import type { Command } from 'commander';
import { addDbOption, withStore } from '../common.js';
import { printJson, table } from '../output.js';

export function registerRuns(program: Command): void {
  const cmd = program.command('runs').description('list the runs in the database').option('--json', 'print a JSON array');
  addDbOption(cmd).action(async (opts) => {
    const { effectiveStatus, listRuns } = await import('../../lab/runs.js');
    const rows = (await withStore(opts, true, (store) => listRuns(store))).map((r) => ({
      id: r.id,
      name: r.name,
      policy: r.policy,
      lru: r.lru,
      seed: r.seed,
      status: effectiveStatus(r),
      events: r.events,
      cycles: r.cycles,
      started: r.startedAt,
      stateHash: r.stateHash,
    }));
    if (opts.json) return printJson(rows);
    if (!rows.length) return void process.stdout.write('no runs yet; start one with: memcglab run experiments/default.json\n');
    process.stdout.write(
      table(
        ['id', 'name', 'policy', 'lru', 'seed', 'status', 'events', 'cycles', 'started'],
        rows.map((r) => [r.id, r.name, r.policy, r.lru, r.seed, r.status, r.events, r.cycles, r.started]),
      ),
    );
  });
}
