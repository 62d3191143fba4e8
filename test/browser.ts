import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

/** Debian's chromium, which .ci/run installs. */
export const CHROMIUM = '/usr/bin/chromium';

/** Skip a browser test only off CI when chromium is missing (in CI a missing browser must fail). */
export function skipWithoutBrowser(what: string): boolean {
  const skip = !existsSync(CHROMIUM) && !process.env.CI;
  if (skip) console.warn(`${what} browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium) and CI is not set`);
  return skip;
}

/** Chromium with one 1400×1000 page whose console errors, page errors and failed requests land in `errors`. */
export async function openPage(): Promise<{ browser: Browser; page: Page; errors: string[] }> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  return { browser, page, errors };
}
