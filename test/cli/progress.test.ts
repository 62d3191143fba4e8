import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duration, progressLine } from '../../src/cli/progress.js';
import { CLI, ROOT, tempDir } from '../helpers.js';

describe('progress line', () => {
  it('shows the rate and the ETA once a second has passed', () => {
    expect(progressLine('run', 10, 100, 500)).toBe('run 10/100 (10%) 0.5s');
    expect(progressLine('run', 250, 1000, 2000)).toBe('run 250/1000 (25%) 2.0s, 125/s, ETA 6.0s');
    expect(progressLine('verify', 3, 4, 90_000)).toBe('verify 3/4 (75%) 1m30s, 0.0/s, ETA 30.0s');
    expect(progressLine('run', 1000, 1000, 4000)).toBe('run 1000/1000 (100%) 4.0s, 250/s');
  });

  it('durations: seconds, minutes, hours', () => {
    expect(duration(4.25)).toBe('4.3s');
    expect(duration(185)).toBe('3m05s');
    expect(duration(3720)).toBe('1h02m');
  });

  // `script` gives the CLI a terminal, where the progress line is drawn (never in pipes).
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)(
    'on a terminal, run names the run and how to resume it after Ctrl-C, export shows its rate; in a pipe, nothing',
    () => {
      const db = join(tempDir(), 'p.db');
      const args = ['run', 'experiments/default.json', '--set', 'workload.cycles=30', '--db', db];
      const tty = spawnSync('script', ['-qfc', [process.execPath, CLI, ...args].join(' '), '/dev/null'], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(tty.status).toBe(0);
      expect(tty.stdout).toMatch(/cycle \d+\/30 \(\d+%\).*Ctrl-C leaves run 1 interrupted; memcglab resume 1 goes on/);
      const pipe = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
      expect(pipe.status).toBe(0);
      expect(pipe.stderr).toBe('');
      // export into a file on a terminal: the event count with its rate; rows to the terminal: no progress line
      const csv = join(tempDir(), 'e.csv');
      const exp = spawnSync('script', ['-qfc', [process.execPath, CLI, 'export', '1', '--db', db, '--out', csv].join(' '), '/dev/null'], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(exp.status).toBe(0);
      expect(exp.stdout).toMatch(/export run 1: event \d+\/\d+ \(\d+%\)/);
      const toTerminal = spawnSync('script', ['-qfc', [process.execPath, CLI, 'export', '1', '--db', db].join(' '), '/dev/null'], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(toTerminal.stdout).toMatch(/^run,seq,tick,type/m); // the rows did go to the terminal
      expect(toTerminal.stdout).not.toMatch(/export run 1: event/);
    },
  );
});
