import { E } from '../kernel/events.js';
import type { Ctx } from './context.js';

// The flusher and I/O completion (mm/page-writeback.c, fs/fs-writeback.c), run between workload
// steps: the flusher is not one of the tasks machine.concurrency runs, so background work happens
// at the next step after it is due.

/** The head of a queue (insertion order = tick order): its folio and tick, or undefined. */
function head(q: ReadonlyMap<number, number>): [number, number] | undefined {
  for (const entry of q) return entry;
  return undefined;
}

/**
 * wb_workfn(): the flusher writes back folios dirtied at least writeback ticks ago
 * (dirty_expire), and writes started io ticks ago complete (folio_end_writeback).
 */
export function runBackgroundWriteback(ctx: Ctx): void {
  const { s } = ctx;
  const now = ctx.s.tick;
  for (let h = head(s.writebackQueue); h && now - h[1] >= s.vm.ioTicks; h = head(s.writebackQueue)) ctx.emit(E.writebackEnd(h[0]));
  for (let h = head(s.dirtyQueue); h && now - h[1] >= s.vm.writebackTicks; h = head(s.dirtyQueue)) ctx.emit(E.writebackStart(h[0]));
}

/** wakeup_flusher_threads(WB_REASON_VMSCAN): reclaim found only unqueued dirty folios; write back everything dirty now. */
export function wakeupFlusherThreads(ctx: Ctx): void {
  for (let h = head(ctx.s.dirtyQueue); h; h = head(ctx.s.dirtyQueue)) ctx.emit(E.writebackStart(h[0]));
}
