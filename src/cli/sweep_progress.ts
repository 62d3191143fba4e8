import cliProgress from 'cli-progress';

/**
 * The progress of runs on worker processes, one bar on stderr (cli-progress): workload steps done
 * over all runs, runs done, events/s and the ETA. Silent when stderr is not a terminal or when the
 * command prints JSON, so pipes and scripts see only the result.
 */
export class RunsProgress {
  private readonly bar: cliProgress.SingleBar | undefined;
  private readonly steps: number[];
  private readonly totals: number[];
  private readonly start = Date.now();
  private runsDone = 0;
  private events = 0;
  private stepsOfDone = 0;

  constructor(label: string, totals: number[], quiet: boolean) {
    this.totals = [...totals];
    this.steps = totals.map(() => 0);
    if (quiet || !process.stderr.isTTY) return;
    this.bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: `${label} {bar} {percentage}% | runs {runs}/{nruns} | {eps} events/s | ETA {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(this.sum(this.totals), 0, { runs: 0, nruns: totals.length, eps: 0 });
  }

  private sum(xs: number[]): number {
    return xs.reduce((a, b) => a + b, 0);
  }

  progress(task: number, done: number, total: number): void {
    this.steps[task] = done;
    this.totals[task] = total;
    this.render();
  }

  done(task: number, events: number): void {
    this.steps[task] = this.totals[task];
    this.runsDone++;
    this.events += events;
    this.stepsOfDone += this.totals[task];
    this.render();
  }

  private render(): void {
    if (!this.bar) return;
    // events of runs still going, estimated from the finished runs' events per step
    const perStep = this.stepsOfDone ? this.events / this.stepsOfDone : 0;
    const stepsAll = this.sum(this.steps);
    const secs = Math.max((Date.now() - this.start) / 1000, 1e-3);
    const eps = Math.round((this.events + (stepsAll - this.stepsOfDone) * perStep) / secs);
    this.bar.setTotal(this.sum(this.totals));
    this.bar.update(stepsAll, { runs: this.runsDone, eps: eps.toLocaleString('en-US') });
  }

  stop(): void {
    this.bar?.stop();
  }
}
