import { folioMemcgId, type KernelView } from '../state.js';
import type { Census, Report } from './types.js';

/** folio->memcg_data names a live objcg (objcg charging) and, through it, a live memcg. */
export function checkFolioOwners(s: KernelView, _c: Census, bad: Report): void {
  for (const f of s.folios.values()) {
    if (s.objcgCharging && !s.objcgs.has(f.owner)) {
      bad('owner', `folio ${f.id} owned by missing objcg ${f.owner}`);
      continue;
    }
    const mid = folioMemcgId(s, f);
    if (mid === undefined || !s.memcgs.has(mid)) bad('freed-owns-nothing', `folio ${f.id} belongs to memcg ${mid}, which is not live`);
  }
}

/** The page cache maps each file folio's key to it, and nothing else. */
export function checkPageCache(s: KernelView, _c: Census, bad: Report): void {
  for (const f of s.folios.values()) {
    if (f.file && s.pageCache.get(f.key) !== f.id) bad('page-cache', `file folio ${f.id} is not in the page cache at its key`);
  }
  for (const [key, id] of s.pageCache) {
    const f = s.folios.get(id);
    if (!f || f.key !== key) bad('page-cache', `page-cache key ${key} maps to folio ${id}, which does not hold it`);
  }
}
