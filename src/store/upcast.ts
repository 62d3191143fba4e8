import { LabError } from '../errors.js';
import { EVENT_SCHEMA_VERSION, type Event } from '../kernel/events.js';

/**
 * UPCASTERS[v] turns an event row written under catalogue version v into version v + 1.
 * Empty today (version 1 is the first catalogue); when the catalogue changes, bump
 * EVENT_SCHEMA_VERSION and add the step here, so old logs keep replaying through `evolve`.
 */
export const UPCASTERS: Record<number, (e: Event) => Event> = {};

/**
 * The function that brings a log of `schemaVersion` up to this build's catalogue, or null when the
 * log is current (the hot path then skips it). A log from a newer catalogue cannot be read.
 */
export function upcasterFor(schemaVersion: number, what = 'this log'): ((e: Event) => Event) | null {
  if (schemaVersion > EVENT_SCHEMA_VERSION) {
    throw new LabError(
      `${what} uses event schema ${schemaVersion}, newer than this memcglab reads (${EVENT_SCHEMA_VERSION}); upgrade memcglab`,
    );
  }
  if (schemaVersion === EVENT_SCHEMA_VERSION) return null;
  const steps: ((e: Event) => Event)[] = [];
  for (let v = schemaVersion; v < EVENT_SCHEMA_VERSION; v++) {
    const step = UPCASTERS[v];
    if (!step) throw new LabError(`${what} uses event schema ${schemaVersion}, and no upcast from ${v} to ${v + 1} exists`);
    steps.push(step);
  }
  return (e) => {
    for (const step of steps) e = step(e);
    return e;
  };
}
