/**
 * The client side of the serve figure, run as a child process (the bench's figures are
 * synchronous): starts `memcglab serve` on a free port, GETs each path in turn through HTTP,
 * timing each answer (request sent to body parsed), and prints {ms: [[...], ...]} per path list.
 * argv: <cli> <db> <JSON: path lists>.
 */
import { spawn } from 'node:child_process';

async function main(): Promise<void> {
  const [cli, db, listsJson] = process.argv.slice(2);
  const lists = JSON.parse(listsJson) as string[][];
  const server = spawn(process.execPath, [cli, 'serve', '--db', db, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /http:\/\/\S+\//.exec(out);
        if (m) resolve(m[0].slice(0, -1));
      });
      server.once('exit', (code) => reject(new Error(`memcglab serve exited (${code}) before listening`)));
    });
    const ms: number[][] = [];
    for (const paths of lists) {
      const times: number[] = [];
      for (const p of paths) {
        const t0 = performance.now();
        const res = await fetch(base + p);
        const body = (await res.json()) as { error?: string };
        if (!res.ok) throw new Error(`GET ${p}: ${res.status} ${body.error}`);
        times.push(performance.now() - t0);
      }
      ms.push(times);
    }
    process.stdout.write(JSON.stringify({ ms }));
  } finally {
    server.kill('SIGTERM');
  }
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 1;
});
