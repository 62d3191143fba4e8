import type { Event } from '../events.js';

/** A transition the kernel would not make: the event does not fit the state it is applied to. */
export class EvolveError extends Error {
  constructor(
    public readonly event: Event,
    message: string,
  ) {
    super(`event seq ${event.seq}: ${message}`);
  }
}
