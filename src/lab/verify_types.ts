export interface VerifyViolation {
  seq: number;
  /**
   * What is wrong: a table of the record (`events`, `chain`, `runs`, `snapshot` (the snapshots table), `samples`,
   * `memcgs`) for a row that differs from what the log and its chain rebuild, or an event's type
   * name for an event that breaks an invariant or that evolve refuses.
   */
  type: string;
  invariant: string;
  detail: string;
}

export const short = (v: unknown): string => {
  const s = v === undefined ? 'none' : typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};
