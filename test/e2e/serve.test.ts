import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStore } from '../../src/serve/server.js';
import { closeStore, openStore } from '../../src/store/db.js';
import { openPage, skipWithoutBrowser } from '../browser.js';
import { CLI, cliJson, ROOT, tempDir } from '../helpers.js';

const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const skipBrowser = skipWithoutBrowser('serve');

const dir = tempDir();
const db = join(dir, 'serve.db');
let server: ChildProcess;
let base: string;
let dbHash: string;
const fileHash = () => createHash('sha256').update(readFileSync(db)).digest('hex');

/** A small MGLRU experiment: legacy leaves dying memcgs behind (run 1), same-gen reparents them (run 2). */
function run(policy: string): void {
  cliJson([
    'run',
    'experiments/mglru-reparent.json',
    '--set',
    `policy=${policy}`,
    '--set',
    'workload.cycles=30',
    '--set',
    'workload.accessesPerCycle=300',
    '--set',
    'sampleEvery=2',
    '--tag',
    'study=serve',
    '--db',
    db,
  ]);
}

beforeAll(async () => {
  run('legacy');
  run('reparent');
  dbHash = fileHash();
  server = spawn(process.execPath, [CLI, 'serve', '--db', db, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  base = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) resolve(m[1]);
    });
    server.once('exit', (code) => reject(new Error(`memcglab serve exited with ${code} before listening`)));
  });
}, 30_000);

afterAll(() => {
  server?.kill('SIGTERM');
});

async function api(path: string, method = 'GET'): Promise<{ status: number; body: any; allow: string | null }> {
  const res = await fetch(base + path, { method });
  return { status: res.status, body: await res.json(), allow: res.headers.get('allow') };
}

describe('memcglab serve: the API', () => {
  it('bad requests get a 4xx and one JSON line saying what, where and how to fix it, never a stack', async () => {
    const cases: [string, number, RegExp][] = [
      ['/api/runs/abc/tree', 400, /run id must be a positive integer/],
      ['/api/runs/99/tree', 404, /no run 99 .*\/api\/runs/],
      ['/api/runs/1/tree?seq=99999999', 400, /has \d+ events; seq=99999999 is past its end/],
      ['/api/runs/1/tree?seq=10&cycle=2', 400, /give one of seq, tick, cycle/],
      ['/api/runs/1/tree?seq=-1', 400, /seq must be an integer/],
      ['/api/runs/1/tree?sqe=10', 400, /unknown parameter 'sqe'; it takes: seq, tick, cycle/],
      ['/api/runs/1/cat?seq=100', 400, /cat needs path=/],
      ['/api/runs/1/cat?path=/system.slice/memory.bogus', 400, /no file 'memory.bogus'/],
      ['/api/runs/1/events?type=nonsense', 400, /no event type 'nonsense'/],
      ['/api/runs/1/diff?from=yesterday', 400, /not a point; give seq:N/],
      ['/api/compare', 400, /give runs=<id,id,…> or sweep=<id>/],
      ['/api/nope', 404, /no API path \/api\/nope; paths:/],
      ['/nope.html', 404, /no page \/nope.html/],
    ];
    for (const [path, status, msg] of cases) {
      const r = await api(path);
      expect(r.status, path).toBe(status);
      expect(Object.keys(r.body)).toEqual(['error']);
      expect(r.body.error).toMatch(msg);
      expect(r.body.error).not.toMatch(/\n|\s+at \S+ \(|\.ts:\d+/);
    }
  });

  it('is read-only: anything but GET/HEAD is 405, and the database file does not change', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      for (const path of ['/api/runs', '/api/runs/1', '/']) {
        const r = await api(path, method);
        expect(r.status, `${method} ${path}`).toBe(405);
        expect(r.allow).toBe('GET, HEAD');
        expect(r.body.error).toMatch(/read-only and answers GET and HEAD only/);
      }
    }
    expect((await fetch(`${base}/api/runs`, { method: 'HEAD' })).status).toBe(200);
    // a page of another site reaching the server through DNS rebinding names its own host
    const other = await new Promise<number>((resolve, reject) => {
      request(`${base}/api/runs`, { headers: { host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(other).toBe(403);
    expect(fileHash()).toBe(dbHash);
  });

  it('the store it serves is a read-only connection: a write cannot happen, and a writable store is refused', () => {
    const ro = openStore(db, { readonly: true });
    try {
      expect(ro.sqlite.readonly).toBe(true);
      serveStore(ro, { host: '127.0.0.1' }).close();
      expect(() => ro.sqlite.prepare('DELETE FROM runs').run()).toThrow(/readonly/);
    } finally {
      closeStore(ro);
    }
    const rw = openStore(db);
    try {
      expect(() => serveStore(rw, { host: '127.0.0.1' })).toThrow(/read-only; refusing a writable store/);
    } finally {
      closeStore(rw);
    }
  });

  it('tree, cat and events at a seq say what replay --json and cat --json say there', async () => {
    const seq = 20_000;
    const tree = (await api(`/api/runs/1/tree?seq=${seq}&hash=1`)).body;
    const replay = cliJson(['replay', '1', '--seq', String(seq), '--db', db]);
    expect(tree.stateHash).toBe(replay.stateHash);
    expect(tree.nr_dying).toBe(replay.nr_dying);
    expect(tree.nr_dying).toBeGreaterThan(0);
    const live = replay.memcgs.filter((m: { state: string }) => m.state !== 'freed');
    expect(tree.tree.map((m: any) => [m.id, m.path, m.state, m.current]).sort()).toEqual(
      live.map((m: any) => [m.id, m.path, m.state, m.current]).sort(),
    );
    expect(tree.freed.count).toBe(replay.memcgs.length - live.length);
    const cat = cliJson(['cat', '1', '/system.slice/memory.stat', '--seq', String(seq), '--db', db]);
    const served = (await api(`/api/runs/1/cat?seq=${seq}&path=/system.slice/memory.stat`)).body;
    expect(served.content).toEqual(cat.content);
    // a cgroup's files, with which memory.stat keys are bytes (the page formats those; counts stay counts)
    const cg = (await api(`/api/runs/1/cgroups/2?seq=${seq}`)).body;
    expect(cg.files['memory.stat']).toEqual(cat.content);
    expect(cg.byteKeys).toContain('file');
    expect(cg.byteKeys).not.toContain('pgscan');
    const ev = (await api(`/api/runs/1/events?seq=${seq}&limit=5&type=access`)).body;
    expect(ev.before.length).toBe(5);
    expect(ev.before.every((e: { type: string; seq: number }) => e.type === 'access' && e.seq <= seq)).toBe(true);
    expect(ev.after.every((e: { seq: number }) => e.seq > seq)).toBe(true);
    const folio = ev.before[0].folio;
    const story = (await api(`/api/runs/1/folios/${folio}?seq=${seq}`)).body;
    expect(story.events[0].type).toBe('charge');
    expect(story.events.every((e: any) => e.folio === folio || e.type === 'splice')).toBe(true);
  });
});

describe.skipIf(skipBrowser)('memcglab serve in a real browser (chromium via playwright-core)', () => {
  it('pick a run, drag the scrubber: the tree and lru_gen are what replay and cat say there; no console errors', async () => {
    const { browser, page, errors } = await openPage();
    try {
      page.on('request', (r) => {
        if (!r.url().startsWith(base)) errors.push(`request off the server: ${r.url()}`);
      });
      await page.goto(`${base}/`);
      await page.click('tr[data-run="1"] a');
      const ready = '#timeline[data-ready="1"]';
      await page.waitForSelector(ready);
      expect(await page.getAttribute('#timeline', 'data-seq')).toBe(String(cliJson(['show', '1', '--db', db]).events));
      await page.waitForSelector('figure.plot svg g[class*="role-mark"] path');

      // drag the thumb from the end to 40 % of the way
      const box = (await page.locator('#scrubber').boundingBox())!;
      await page.mouse.move(box.x + box.width - 4, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
      await page.waitForFunction(() => {
        const t = document.querySelector('#timeline') as HTMLElement;
        return t.dataset.ready === '1' && Number(t.dataset.seq) < 40_000;
      });
      const seq = Number(await page.getAttribute('#timeline', 'data-seq'));
      expect(page.url()).toContain(`#/run/1?seq=${seq}`);
      const replay = cliJson(['replay', '1', '--seq', String(seq), '--db', db]);
      const rows = await page.$$eval('#tree tr[data-memcg]', (trs) =>
        trs.map((tr) => {
          const d = (tr as HTMLElement).dataset;
          return [Number(d.memcg), d.state, Number(d.current)];
        }),
      );
      const live = replay.memcgs.filter((m: { state: string }) => m.state !== 'freed');
      expect(rows.sort()).toEqual(live.map((m: any) => [m.id, m.state, m.current]).sort());

      // a dying cgroup's lru_gen, as /sys/kernel/debug/lru_gen prints it at that seq
      const dying = live.find((m: { state: string; current: number }) => m.state === 'dying' && m.current > 0);
      expect(dying).toBeDefined();
      await page.click(`#tree tr[data-memcg="${dying.id}"]`);
      await page.waitForFunction((id) => document.querySelector('#cgtitle')?.textContent?.includes(`(memcg ${id}, dying)`), dying.id);
      const gens = await page.$$eval('table.lrugen tr[data-gen]', (trs) =>
        trs.map((tr) => {
          const d = (tr as HTMLElement).dataset;
          return { seq: Number(d.gen), anon: Number(d.anon), file: Number(d.file) };
        }),
      );
      const cat = cliJson(['cat', '1', '/sys/kernel/debug/lru_gen', '--seq', String(seq), '--db', db]);
      const want = cat.content.find((m: { memcg: number }) => m.memcg === dying.id).nodes[0].gens;
      expect(gens).toEqual(want.map((g: any) => ({ seq: g.seq, anon: g.anon, file: g.file })));
      expect(gens.some((g) => g.anon + g.file > 0)).toBe(true);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'serve.png'), fullPage: false });

      // a link to a seq (what verify names) opens the timeline there
      await page.goto(`${base}/#/run/2?seq=12345`);
      await page.waitForFunction(() => (document.querySelector('#timeline') as HTMLElement)?.dataset.seq === '12345');
      expect(await page.textContent('#events tr.here')).toContain('12345');

      // compare: the table and the report's plots
      await page.goto(`${base}/#/compare?runs=1,2`);
      await page.waitForSelector('table.compare');
      const frame = page.frameLocator('#report');
      await frame.locator('figure.plot svg').first().waitFor();
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
    expect(fileHash()).toBe(dbHash);
  }, 30_000);
});
