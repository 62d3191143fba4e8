import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../lab/version.js';
import { benchAppend } from './append.js';
import { benchExport } from './export.js';
import { dropRecordingEvents } from './fixture.js';
import { machineInfo } from './machine.js';
import { benchMemory } from './memory.js';
import { benchPointInTime } from './pit.js';
import { benchReplay } from './replay.js';
import { benchRun } from './run.js';
import { benchServe } from './serve.js';
import { benchSize } from './size.js';
import { benchSweep } from './sweep.js';
import { timeMs } from './timing.js';
import type { BenchContext, BenchReport, BenchResult } from './types.js';
import { benchVerify } from './verify.js';

export interface BenchOptions {
  quick?: boolean;
  /** progress lines; default: none */
  log?: (msg: string) => void;
  /** keep the temp databases (for inspection) */
  keep?: boolean;
  /** run only these figures (FIGURES names); default: all */
  only?: readonly string[];
}

/** The figures, in the order they run (the cheap in-process ones first). */
export const FIGURES: readonly { name: string; run: (ctx: BenchContext) => BenchResult[] }[] = [
  { name: 'run', run: benchRun },
  { name: 'append', run: benchAppend },
  { name: 'replay', run: benchReplay },
  { name: 'verify', run: benchVerify },
  { name: 'export', run: benchExport },
  {
    name: 'size',
    run: (ctx) => {
      dropRecordingEvents();
      return benchSize(ctx);
    },
  },
  { name: 'memory', run: benchMemory },
  { name: 'point-in-time', run: benchPointInTime },
  { name: 'sweep', run: benchSweep },
  { name: 'serve', run: benchServe },
];

/** Run every figure next to its baseline; temp databases live in a private folder removed at the end. */
export function runBench(opts: BenchOptions = {}): BenchReport {
  const root = packageRoot();
  const dir = mkdtempSync(join(tmpdir(), 'memcglab-bench-'));
  const ctx: BenchContext = {
    quick: !!opts.quick,
    dir,
    root,
    cli: join(root, 'dist', 'src', 'cli', 'main.js'),
    log: opts.log ?? (() => {}),
  };
  try {
    const results: BenchResult[] = [];
    const { ms } = timeMs(() => {
      for (const f of FIGURES) {
        if (opts.only && !opts.only.includes(f.name)) continue;
        try {
          results.push(...f.run(ctx));
        } catch (e) {
          // One broken figure (e.g. code mid-change) is reported, not fatal to the others.
          const msg = (e as Error).message.split('\n')[0];
          ctx.log(`${f.name} failed: ${msg}`);
          results.push({
            name: f.name,
            value: null,
            unit: '-',
            baseline: null,
            ratio: null,
            goal: null,
            met: null,
            note: `failed: ${msg}`,
          });
        }
      }
    });
    return { ...machineInfo(root), quick: ctx.quick, seconds: Math.round(ms / 100) / 10, results };
  } finally {
    if (opts.keep) ctx.log(`bench databases kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
