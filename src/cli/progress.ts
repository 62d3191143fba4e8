/**
 * A one-line progress indicator on stderr. Silent unless stderr is a terminal and the command is
 * not printing JSON, so pipes and scripts see only the result.
 */
export class Progress {
  private readonly enabled: boolean;
  private readonly start = Date.now();
  private last = 0;

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
    const pct = total ? Math.floor((done / total) * 100) : 100;
    const secs = ((now - this.start) / 1000).toFixed(1);
    process.stderr.write(`\r${this.label} ${done}/${total} (${pct}%) ${extra} ${secs}s\x1b[K`);
  }

  done(): void {
    if (this.enabled) process.stderr.write('\r\x1b[K');
  }
}
