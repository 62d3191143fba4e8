import type { KernelView } from '../state.js';
import type { Census, Report } from './types.js';

/** No task dereferenced a memcg after it was freed (the RCU rule every folio_memcg() reader follows). */
export function checkNoFreedReads(s: KernelView, _c: Census, bad: Report): void {
  const r = s.freedReads[0];
  if (r) bad('use-after-free', `memcg ${r.memcg} (read from folio ${r.folio}) dereferenced at seq ${r.seq} after it was freed`);
}

/** No LRU operation ran under another lruvec's lock than its folio's (folio_lruvec_lock's recheck). */
export function checkNoWrongLocks(s: KernelView, _c: Census, bad: Report): void {
  const r = s.wrongLocks[0];
  if (r)
    bad(
      'wrong-lock',
      `folio ${r.folio} activated at seq ${r.seq} under memcg ${r.locked}'s lruvec lock, but it is on memcg ${r.owner}'s lruvec`,
    );
}
