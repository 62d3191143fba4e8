/** A user-facing failure: one line saying what is wrong and how to fix it. The CLI prints it and exits 1. */
export class LabError extends Error {}

/**
 * Several user-facing failures found together (every validation error of an experiment): the
 * CLI prints the header line, then one line each. The message holds them all on one line, for
 * anything that passes errors on as text (a sweep worker's error report).
 */
export class LabErrors extends LabError {
  constructor(
    readonly header: string,
    readonly lines: readonly string[],
  ) {
    super(`${header} ${lines.join('; ')}`);
  }
}
