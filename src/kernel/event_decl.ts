// How an event of the catalogue is declared: its columns, what each means, the values it takes.
// Shared by the catalogue (events.ts) and its parts (events_tasks.ts).

export type Column = 'memcg' | 'folio' | 'a' | 'b' | 'data';

/**
 * One constructor argument: the column it is stored in, what it means there, the values it
 * takes (`flags`: bits that combine; `values`: one of), and a default that makes it optional.
 * `bool`: the argument is a boolean stored as 1 / 0.
 */
export interface Arg {
  readonly col: Column;
  readonly means?: string;
  readonly flags?: Readonly<Record<string, number>>;
  readonly values?: Readonly<Record<string, number>>;
  readonly default?: number | boolean;
  readonly bool?: true;
}

export interface EventDecl {
  readonly code: number;
  /** what happened, in kernel terms */
  readonly what: string;
  /** constructor arguments, in order; columns not named are 0 (data: null) */
  readonly args: readonly Arg[];
}

export const memcg = (means?: string): Arg => ({ col: 'memcg', means });
export const folio: Arg = { col: 'folio' };
