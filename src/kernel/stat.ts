/**
 * Per-memcg counters, named as in memory.stat. Each memcg keeps local values; memory.stat shows
 * hierarchical sums (the kernel's rstat), and a freed memcg's counts are folded into its parent.
 */
export const Stat = {
  anon: 0, // pages (NR_ANON_MAPPED)
  file: 1, // pages (NR_FILE_PAGES)
  pgscan: 2,
  pgsteal: 3,
  pgrefill: 4,
  pgactivate: 5,
  pgdeactivate: 6,
  workingset_refault_anon: 7,
  workingset_refault_file: 8,
  workingset_activate_anon: 9,
  workingset_activate_file: 10,
  workingset_restore_anon: 11,
  workingset_restore_file: 12,
  pgfault: 13,
} as const;
export const NR_STATS = Object.keys(Stat).length;

/** Items that are sizes (moved on reparent, must be 0 when freed) rather than event counts. */
export const SIZE_STATS: readonly number[] = [Stat.anon, Stat.file];

export function newStats(): number[] {
  return new Array<number>(NR_STATS).fill(0);
}
