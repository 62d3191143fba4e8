import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { LabError } from '../errors.js';
import type { Store } from '../store/db.js';
import { Api } from './api.js';
import { assetPaths, readAsset } from './assets.js';
import { errorBody, HttpError, sendJson } from './http.js';

/**
 * The page may load only from this server (no CDN, nothing from the network). Vega compiles its
 * expressions with Function(), hence 'unsafe-eval'; the report's figures carry inline styles.
 */
const CSP = "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export interface ServeOptions {
  /** the address bound: a loopback one also refuses requests naming another host (DNS rebinding) */
  host: string;
  /** print the stack of internal errors on stderr */
  debug?: boolean;
}

/**
 * The HTTP server of `memcglab serve` over an open (read-only) store: GET and HEAD only; the page's
 * files, and the JSON API under /api/. Any failure is a JSON `{error}` with a 4xx status (a 500,
 * without a stack, for a bug); nothing the server does writes to the database.
 */
export function serveStore(store: Store, opts: ServeOptions): Server {
  if (!store.readonly) throw new LabError('memcglab serve opens the database read-only; refusing a writable store');
  const api = new Api(store);
  const assets = assetPaths();
  const loopbackOnly = LOOPBACK.has(opts.host);
  return createServer((req, res) => {
    handle(req, res).catch((e) => fail(res, e, req.method === 'HEAD'));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.setHeader('allow', 'GET, HEAD');
      throw new HttpError(
        405,
        `${String(req.method).slice(0, 10)} ${String(req.url).slice(0, 80)}: memcglab serve is read-only and answers GET and HEAD only`,
      );
    }
    const hostname = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (loopbackOnly && !LOOPBACK.has(hostname))
      throw new HttpError(403, `host '${hostname.slice(0, 60)}' is not this server's; open it as http://127.0.0.1 or http://localhost`);
    const url = new URL(`http://localhost${req.url ?? '/'}`); // as a path: '//x' is not a host here
    if (url.pathname.startsWith('/api/')) {
      const out = await api.handle(url.pathname, url.searchParams);
      if ('json' in out) return sendJson(res, 200, out.json, head);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP, 'cache-control': 'no-store' });
      res.end(head ? undefined : out.html);
      return;
    }
    const file = assets.get(url.pathname);
    if (!file) throw new HttpError(404, `no page ${url.pathname.slice(0, 80)}; open / (the runs), or an /api/ path`);
    const a = readAsset(url.pathname, file);
    res.writeHead(200, {
      'content-type': a.type,
      'content-length': a.body.length,
      'cache-control': a.immutable ? 'max-age=86400' : 'no-cache',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
    });
    res.end(head ? undefined : a.body);
  }

  function fail(res: ServerResponse, e: unknown, head: boolean): void {
    const { status, error } = errorBody(e);
    if (status >= 500 && opts.debug) process.stderr.write(`memcglab serve: ${(e as Error).stack ?? String(e)}\n`);
    if (res.headersSent) return void res.destroy();
    sendJson(res, status, { error }, head);
  }
}

/** Listen on host:port; a port in use or an address that cannot be bound is one clear LabError. */
export function listen(server: Server, host: string, port: number): Promise<{ host: string; port: number }> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE')
        reject(new LabError(`port ${port} on ${host} is in use; pick another with --port <n> (0: any free port)`));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND')
        reject(
          new LabError(`cannot listen on --host ${host}: no such local address; use 127.0.0.1 (the default) or an address of this machine`),
        );
      else if (e.code === 'EACCES') reject(new LabError(`port ${port} needs privileges; pick one above 1023 with --port <n>`));
      else reject(e);
    });
    server.listen(port, host, () => {
      const a = server.address();
      resolve({ host, port: typeof a === 'object' && a ? a.port : port });
    });
  });
}
