/**
 * The machine's ceiling for the sweep figure, run as a child process (the bench's figures are
 * synchronous): the sweep's runs as independent one-thread `memcglab run` processes, each into
 * its own database file (nothing shared: no write lock, no writer thread), first one after
 * another, then in `lanes` lanes at once. Prints {serialMs, parallelMs}. No way of splitting the
 * sweep over the same cores can beat the lanes by much: they are the work with no coordination.
 * argv: <cli> <dir> <lanes> <JSON: argument lists, one per run>.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

function runOne(cli: string, args: string[], db: string): Promise<void> {
  for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [cli, 'run', ...args, '--jobs', '1', '--db', db, '--json'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    p.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`run ${args.join(' ')} failed (${code}): ${err.trim().split('\n')[0]}`)),
    );
  });
}

async function lane(cli: string, dir: string, runs: string[][], tag: string): Promise<void> {
  for (const [i, args] of runs.entries()) await runOne(cli, args, join(dir, `lane-${tag}-${i}.db`));
}

async function main(): Promise<void> {
  const [cli, dir, lanesArg, runsJson] = process.argv.slice(2);
  const runs = JSON.parse(runsJson) as string[][];
  const lanes = Number(lanesArg);
  let t0 = performance.now();
  await lane(cli, dir, runs, 's');
  const serialMs = performance.now() - t0;
  const split: string[][][] = Array.from({ length: lanes }, () => []);
  for (const [i, r] of runs.entries()) split[i % lanes].push(r);
  t0 = performance.now();
  await Promise.all(split.map((rs, k) => lane(cli, dir, rs, `p${k}`)));
  const parallelMs = performance.now() - t0;
  process.stdout.write(JSON.stringify({ serialMs, parallelMs }));
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
