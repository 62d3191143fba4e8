import type { Command } from 'commander';
import { readOnlyQuery } from '../../store/query.js';
import { addDbOption, withStore } from '../common.js';
import { csv, printJson, table } from '../output.js';

export function registerQuery(program: Command): void {
  const cmd = program
    .command('query')
    .description('run read-only SQL against the database (tables: runs, events, events_v, event_types, samples, memcgs)')
    .argument('<sql>', 'one SELECT statement')
    .option('--json', 'print a JSON array of row objects')
    .option('--csv', 'print CSV');
  addDbOption(cmd).action((sql: string, opts) => {
    const { headers, rows } = withStore(opts, true, (store) => readOnlyQuery(store, sql));
    if (opts.json) return printJson(rows.map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i]]))));
    process.stdout.write(opts.csv ? csv(headers, rows) : table(headers, rows));
  });
}
