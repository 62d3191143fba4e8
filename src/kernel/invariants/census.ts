import { folioSizeStat, Stat } from '../stat.js';
import { folioMemcgId, type KernelView } from '../state.js';
import type { Census, Pages } from './types.js';

/** One pass over the folios and locks: per-memcg and per-objcg pages, and the locked memcgs. */
export function takeCensus(s: KernelView): Census {
  const local = new Map<number, Pages>();
  for (const m of s.memcgs.values()) local.set(m.id, { anon: 0, file: 0 });
  const objcgPages = new Map<number, Pages>();
  for (const f of s.folios.values()) {
    if (s.objcgCharging && !s.objcgs.has(f.owner)) continue; // checkFolioOwners reports it
    const l = local.get(folioMemcgId(s, f)!);
    if (!l) continue;
    const file = folioSizeStat(f) === Stat.file; // shmem counts as file, though it is on the anon LRU
    if (file) l.file++;
    else l.anon++;
    if (s.objcgCharging) {
      const o = objcgPages.get(f.owner) ?? { anon: 0, file: 0 };
      if (file) o.file++;
      else o.anon++;
      objcgPages.set(f.owner, o);
    }
  }
  const locked = new Set<number>();
  for (const [c, p] of s.reparentLocked) {
    locked.add(c);
    locked.add(p);
  }
  return { local, objcgPages, locked };
}
