import type { Command } from 'commander';
import { LabError } from '../../errors.js';
import type { DeleteResult } from '../../lab/delete.js';
import { addDbOption, parseIntArg, parseRunId, withStore } from '../common.js';
import { escapeControl } from '../escape.js';
import { printJson } from '../output.js';

export function registerDelete(program: Command): void {
  const cmd = program
    .command('delete')
    .description('delete runs (or a sweep and its runs) with every row they hold, in one transaction; refuses a run still being written')
    .argument('[runs...]', 'run ids')
    .option('--sweep <id>', 'delete this sweep and all its runs')
    .option('--dry-run', 'say what would be deleted, delete nothing')
    .option('--vacuum', 'then give the freed space back to the file system (rewrites the file: takes a while on a big database)')
    .option('--json', 'print one JSON object: { dryRun, sweep, deleted: [{ run, rows }], freeBytes }');
  addDbOption(cmd).action(async (ids: string[], opts) => {
    if (opts.sweep !== undefined && ids.length) throw new LabError('give run ids or --sweep <id>, not both');
    if (opts.sweep === undefined && !ids.length)
      throw new LabError(
        'delete needs run ids (memcglab delete 3 4) or a sweep (memcglab delete --sweep 2); list them with: memcglab runs',
      );
    if (opts.dryRun && opts.vacuum) throw new LabError('--dry-run deletes nothing, so there is nothing to --vacuum');
    const target = opts.sweep !== undefined ? { sweep: parseIntArg('--sweep', opts.sweep, 1)! } : { runs: ids.map(parseRunId) };
    const { deleteRuns } = await import('../../lab/delete.js');
    const { freeBytes, vacuum } = await import('../../store/delete.js');
    const { out, free } = await withStore(opts, false, (store) => {
      const res = deleteRuns(store, target, !!opts.dryRun);
      if (opts.vacuum) vacuum(store);
      return { out: res, free: freeBytes(store) };
    });
    if (opts.json) return printJson({ ...out, freeBytes: free });
    process.stdout.write(escapeControl(describe(out, free, !!opts.vacuum), true));
  });
}

/** "deleted run 3 (name, policy, seed 1, done): events 506718, chain 7, …" (rows per table) per run, then the space. */
function describe(r: DeleteResult, free: number, vacuumed: boolean): string {
  const verb = r.dryRun ? 'would delete' : 'deleted';
  const lines = r.deleted.map(({ run, rows }) => {
    const counts = Object.entries(rows)
      .filter(([, n]) => n > 0)
      .sort(([a], [b]) => (a === 'events' ? -1 : b === 'events' ? 1 : a.localeCompare(b)))
      .map(([t, n]) => `${t} ${n}`)
      .join(', ');
    return `${verb} run ${run.id} (${run.name}, ${run.policy}, seed ${run.seed}, ${run.status}): ${counts || 'no rows but its own'}`;
  });
  const sweeps = [...new Set(r.deleted.map((d) => d.run.sweep).filter((s) => s !== null && s !== r.sweep?.id))];
  for (const s of sweeps) lines.push(`sweep ${s} keeps its other runs; memcglab sweep --resume ${s} would run the deleted cells again`);
  if (r.sweep)
    lines.push(`${verb} sweep ${r.sweep.id} (${r.sweep.name}) and its ${r.deleted.length} run${r.deleted.length === 1 ? '' : 's'}`);
  if (r.dryRun) lines.push('nothing deleted (--dry-run)');
  else if (vacuumed) lines.push('the file was vacuumed: the freed space went back to the file system');
  else if (free > 0)
    lines.push(
      `the file keeps its size: ${(free / 1048576).toFixed(1)} MiB of free pages, reused by later runs; to shrink it, delete with --vacuum (or run sqlite3 <db> VACUUM)`,
    );
  return `${lines.join('\n')}\n`;
}
