/**
 * A one-line progress indicator on stderr. Silent unless stderr is a terminal and the command is
 * not printing JSON, so pipes and scripts see only the result.
 */
export class Progress {
  private readonly enabled: boolean;
  private readonly start = Date.now();
  private last = 0;
  /** shown after the figures, e.g. what Ctrl-C leaves and how to go on */
  hint = '';

  constructor(
    private readonly label: string,
    quiet = false,
  ) {
    this.enabled = !quiet && !!process.stderr.isTTY;
  }

  update(done: number, total: number, extra = ''): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100 && done < total) return;
    this.last = now;
    process.stderr.write(`\r${progressLine(this.label, done, total, now - this.start)}${extra ? ` ${extra}` : ''}${this.hint}\x1b[K`);
  }

  done(): void {
    if (this.enabled) process.stderr.write('\r\x1b[K');
  }
}

/** `label done/total (pct%) rate/s, elapsed, ETA`: the rate and ETA once a second has passed. */
export function progressLine(label: string, done: number, total: number, ms: number): string {
  const pct = total ? Math.floor((done / total) * 100) : 100;
  const secs = ms / 1000;
  let line = `${label} ${done}/${total} (${pct}%) ${duration(secs)}`;
  if (secs >= 1 && done > 0) {
    const rate = done / secs;
    line += `, ${rate >= 100 ? Math.round(rate) : rate.toFixed(1)}/s`;
    if (done < total) line += `, ETA ${duration((total - done) / rate)}`;
  }
  return line;
}

/** 4.2s, 3m05s, 1h02m */
export function duration(secs: number): string {
  if (secs < 60) return `${secs.toFixed(1)}s`;
  const m = Math.floor(secs / 60);
  if (m < 60) return `${m}m${String(Math.floor(secs % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
