import type { Command } from 'commander';
import { LabError } from '../../errors.js';
import { addDbOption, dbPath, parseIntArg } from '../common.js';

const HELP = `
Open the printed address in a browser: the runs and sweeps (filter by name, tag, policy; pick
several to compare them with the report's plots), and a run's timeline: the metric curves over
cycles with a scrubber; moving it replays the state at that point and shows the cgroup tree
(online, dying; freed ones counted), a cgroup's memory.stat, memory.events and lru_gen, and the
events around that point (filter by type, memcg, folio; a folio's life story).

A point in the address: #/run/<id>?seq=<n> (or ?cycle=<c>, ?tick=<t>) opens the timeline there,
e.g. at the seq that verify or explore names.

The database is opened read-only: the server cannot change it (GET and HEAD only). It listens on
127.0.0.1 unless --host says otherwise; anyone who can reach the address can read the database.
The JSON API the page uses is under /api/ (e.g. /api/runs, /api/runs/1/tree?seq=1000).
`;

export function registerServe(program: Command): void {
  const cmd = program
    .command('serve')
    .description(
      'a read-only local web page over the database: runs, compare, a timeline scrubber that replays state, the cgroup tree and lru_gen',
    )
    .option('--port <n>', 'the TCP port (0: any free port)', '8080')
    .option('--host <address>', 'the address to listen on', '127.0.0.1')
    .addHelpText('after', HELP);
  addDbOption(cmd).action(async (opts) => {
    const port = parseIntArg('--port', opts.port)!;
    if (port > 65535) throw new LabError(`--port ${port} is not a TCP port; give 1-65535, or 0 for any free port`);
    const host = String(opts.host);
    if (!host) throw new LabError('--host is empty; give an address to listen on, e.g. --host 127.0.0.1');
    const { openStore, closeStore } = await import('../../store/db.js');
    const { serveStore, listen } = await import('../../serve/server.js');
    const store = openStore(dbPath(opts), { readonly: true });
    const server = serveStore(store, { host, debug: process.env.MEMCGLAB_DEBUG === '1' });
    let bound: { host: string; port: number };
    try {
      bound = await listen(server, host, port);
    } catch (e) {
      closeStore(store);
      throw e;
    }
    const shown = host.includes(':') ? `[${host}]` : host;
    process.stdout.write(`memcglab serve: ${store.path} (read-only) at http://${shown}:${bound.port}/\n`);
    if (!['127.0.0.1', 'localhost', '::1'].includes(host))
      process.stderr.write(`memcglab: warning: listening on ${host}: anyone who can reach it can read ${store.path}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        server.close(() => resolve());
        server.closeAllConnections();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    closeStore(store);
  });
}
