import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openPage, skipWithoutBrowser } from '../browser.js';
import { cliJson, ROOT, tempDir } from '../helpers.js';

const dir = tempDir();
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
// In CI the browser test must run (.ci/run installs chromium); elsewhere it is skipped, saying why.
const skip = skipWithoutBrowser('report');

describe.skipIf(skip)('report in a real browser (chromium via playwright-core)', () => {
  it('a sweep report opens without console errors, every plot has marks; screenshot saved', async () => {
    const db = join(dir, 'report.db');
    const out = join(dir, 'report.html');
    const sweep = cliJson([
      'sweep',
      'experiments/mglru-reparent.json',
      '--policies',
      'legacy,same-gen,tail',
      '--seeds',
      '1,2',
      '--set',
      'workload.cycles=10',
      '--set',
      'workload.accessesPerCycle=200',
      '--set',
      'sampleEvery=2',
      '--jobs',
      '2',
      '--db',
      db,
    ]);
    const rep = cliJson(['report', '--sweep', String(sweep.id), '--out', out, '--db', db]);
    expect(rep.figures).toBeGreaterThan(10);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // self-contained: no script, nothing fetched

    const { browser, page, errors } = await openPage();
    try {
      await page.goto(pathToFileURL(out).href);
      const figures = await page.$$eval('figure.plot', (fs) =>
        fs.map((f) => ({
          id: f.id,
          // data marks only (Vega gives them role-mark classes), not axes, grid or background
          marks: [...f.querySelectorAll('svg g[class*="role-mark"] path, svg g[class*="role-mark"] line')].filter(
            (e) => e.tagName === 'line' || (e.getAttribute('d') ?? '').length > 0,
          ).length,
          height: f.getBoundingClientRect().height,
        })),
      );
      expect(figures.length).toBe(rep.figures);
      for (const f of figures) {
        expect(f.marks, `figure ${f.id} has no marks`).toBeGreaterThan(0);
        expect(f.height).toBeGreaterThan(50);
      }
      expect(figures.map((f) => f.id)).toEqual(
        expect.arrayContaining([
          'series-nr_dying',
          'series-dying_bytes',
          'series-pgscan',
          'series-pgsteal',
          'series-reclaim_efficiency',
          'bar-eviction_inversion',
          'bar-refault_rate',
          'lru',
        ]),
      );
      expect(errors).toEqual([]);
      mkdirSync(ARTIFACTS, { recursive: true });
      const png = join(ARTIFACTS, 'report.png');
      await page.screenshot({ path: png, fullPage: true });
      expect(statSync(png).size).toBeGreaterThan(10_000);
      copyFileSync(out, join(ARTIFACTS, 'report.html'));
    } finally {
      await browser.close();
    }
  });
});
