import type { Ctx } from '../context.js';
import { runBackgroundWriteback } from '../writeback.js';

/** HZ / 10: the longest reclaim_throttle() sleeps for writeback (jiffies at HZ = 1000, so ms). */
const WRITEBACK_THROTTLE_MS = 100;

/**
 * reclaim_throttle(pgdat, VMSCAN_THROTTLE_WRITEBACK) (mm/vmscan.c): a direct or memcg reclaimer
 * that freed nothing while folios are under writeback (swap-out or file) waits for I/O instead of
 * rescanning them at once; the kernel wakes it when enough writeback completes
 * (__acct_reclaim_writeback) or after HZ/10. Nothing runs concurrently here, so the sleep is the
 * full timeout: simulated time advances and the writes that are due complete
 * (folio_end_writeback → folio_rotate_reclaimable), ready for the caller's next pass.
 */
export function reclaimThrottle(ctx: Ctx): void {
  if (ctx.s.writebackQueue.size === 0) return;
  ctx.sleep(WRITEBACK_THROTTLE_MS);
  runBackgroundWriteback(ctx);
}
