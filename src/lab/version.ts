import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding memcglab's package.json, found from this module in src/ or dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p) && JSON.parse(readFileSync(p, 'utf8')).name === 'memcglab') return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find memcglab package.json');
}

/** memcglab's version (package.json), recorded with every run. */
export function codeVersion(): string {
  return String(JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version);
}

export function defaultExperimentPath(): string {
  return join(packageRoot(), 'experiments', 'default.json');
}
