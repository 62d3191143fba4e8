import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageRoot } from '../lab/version.js';

/** A file the page loads: its bytes and content type. */
export interface Asset {
  body: Buffer;
  type: string;
  /** vendored builds never change while the server runs; the app's own files may (development) */
  immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The page's own files (src/serve/ui, shipped as they are: plain HTML, CSS and ES modules). */
const UI = ['index.html', 'style.css', 'app.js', 'api.js', 'runs.js', 'timeline.js', 'tree.js', 'events.js', 'compare.js', 'plot.js'];

/**
 * Vega and Vega-Lite's browser builds, from the installed packages (the same versions the report
 * renders with): served by this server, so the page fetches nothing from the network.
 */
function vendorPath(pkg: 'vega' | 'vega-lite'): string {
  const entry = createRequire(import.meta.url).resolve(pkg); // …/<pkg>/build/<entry>.js: the build folder
  return join(dirname(entry), pkg === 'vega' ? 'vega.min.js' : 'vega-lite.min.js');
}

/** Every URL path the server answers with a file, and where the file is. */
export function assetPaths(): Map<string, string> {
  const ui = join(packageRoot(), 'src', 'serve', 'ui');
  const out = new Map<string, string>([['/', join(ui, 'index.html')]]);
  for (const f of UI) out.set(`/${f}`, join(ui, f));
  out.set('/vendor/vega.min.js', vendorPath('vega'));
  out.set('/vendor/vega-lite.min.js', vendorPath('vega-lite'));
  return out;
}

const cache = new Map<string, Asset>();

export function readAsset(urlPath: string, file: string): Asset {
  const hit = cache.get(file);
  if (hit) return hit;
  const ext = file.slice(file.lastIndexOf('.'));
  const a = { body: readFileSync(file), type: TYPES[ext] ?? 'application/octet-stream', immutable: urlPath.startsWith('/vendor/') };
  if (a.immutable) cache.set(file, a);
  return a;
}
