import type { Event } from './events.js';
import { EvolveError } from './evolve/error.js';
import { HANDLERS } from './evolve/handlers.js';
import type { KernelState } from './state.js';

export { EvolveError } from './evolve/error.js';

/**
 * The only code that mutates kernel state. Total over valid events and free of choices: every
 * decision was taken by a decider before the event was written, so running and replaying agree.
 * One handler per event type (src/kernel/evolve/, by family); this checks order and dispatches.
 */
export function evolve(s: KernelState, e: Event): void {
  if (e.seq !== s.seq + 1) throw new EvolveError(e, `expected seq ${s.seq + 1}`);
  if (e.tick < s.tick) throw new EvolveError(e, `tick went back from ${s.tick} to ${e.tick}`);
  const handler = HANDLERS.get(e.type);
  s.seq = e.seq;
  s.tick = e.tick;
  if (!handler) throw new EvolveError(e, `unknown event type ${e.type as number}`);
  handler(s, e);
}
