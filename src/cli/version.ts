import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** memcglab's version for --version, read without loading the lab. */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const p = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (p.name === 'memcglab') return String(p.version);
    } catch {
      /* not here */
    }
    dir = dirname(dir);
  }
  return 'unknown';
}
