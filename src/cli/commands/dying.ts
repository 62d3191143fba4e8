import type { Command } from 'commander';
import { addDbOption, parseRunId, withStore } from '../common.js';
import { printJson, table } from '../output.js';
import { addTargetOptions, parseTarget } from '../target.js';

const PINS_HELP = `
A dying memcg is freed when its last css reference goes. What holds one here:
  charged folios          folios still charged to it (the legacy kernel: folio->memcg_data pins
                          the memcg; with reparenting its folios moved to the parent at offline)
  swap entries            swap slots recorded with its ID at swap-out (swap_cgroup); the ID holds
                          the css and nothing moves them at offline: 7.1 too
  dying descendants only  a child that is itself still dying (a css holds its parent)
--all lists each dying memcg with its numbers; --json prints
{runId, seq, tick, cycle, nr_dying, by: {kind: count}, memcgs: [{memcg, path, folios, swap_entries, dying_children, held_by}]}.
`;

export function registerDying(program: Command): void {
  const cmd = program
    .command('dying')
    .description('why the dying memcgs are still there, at any point of a run: charged folios, swap entries, dying descendants')
    .argument('<run>', 'run id')
    .option('--all', 'list every dying memcg with what holds it')
    .option('--json', 'print one JSON object (keys below)')
    .addHelpText('after', PINS_HELP);
  addTargetOptions(cmd);
  addDbOption(cmd).action(async (id: string, opts) => {
    const runId = parseRunId(id);
    const target = parseTarget(opts);
    const { replayState } = await import('../../lab/replay.js');
    const { dyingPins, pinKind, pinSummary } = await import('../../lab/dying_pins.js');
    const { s, pins } = await withStore(opts, true, (store) => {
      const s = replayState(store, runId, target);
      return { s, pins: dyingPins(s) };
    });
    const by = pinSummary(pins);
    if (opts.json) {
      return printJson({
        runId,
        seq: s.seq,
        tick: s.tick,
        cycle: s.cycle,
        nr_dying: pins.length,
        by,
        memcgs: pins.map((p) => ({
          memcg: p.memcg,
          path: p.path,
          folios: p.folios,
          swap_entries: p.swapEntries,
          dying_children: p.dyingChildren,
          held_by: pinKind(p),
        })),
      });
    }
    let text = `run ${runId} at seq ${s.seq} (tick ${s.tick}, cycle ${s.cycle}): ${pins.length} dying memcg${pins.length === 1 ? '' : 's'}\n`;
    text += table(
      ['held by', 'memcgs'],
      Object.entries(by).map(([k, n]) => [k, n]),
    );
    if (opts.all && pins.length) {
      text += `\n${table(
        ['id', 'path', 'folios', 'swap entries', 'dying children', 'held by'],
        pins.map((p) => [p.memcg, p.path, p.folios, p.swapEntries, p.dyingChildren, pinKind(p)]),
      )}`;
    }
    process.stdout.write(text);
  });
}
