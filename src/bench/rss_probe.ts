/**
 * Preloaded into a child process (node --import) by the memory figure: when the process exits,
 * writes its peak resident set size to the file named by MEMCGLAB_RSS_OUT.
 */
import { writeFileSync } from 'node:fs';

const out = process.env.MEMCGLAB_RSS_OUT;
if (out) {
  process.on('exit', () => {
    writeFileSync(out, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
  });
}
