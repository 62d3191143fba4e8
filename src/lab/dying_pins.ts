import { folioMemcgId, type KernelView, MEMCG_DYING } from '../kernel/state.js';
import { preOrder } from '../kernel/tree.js';

/**
 * What keeps each dying memcg from being freed (css_free runs when the last css ref goes):
 * - `folios`: folios charged to it (legacy: each folio's memcg_data holds a css ref; with objcg
 *   charging its folios went to the parent at offline, so this is 0);
 * - `swapEntries`: swap entries recorded with its ID (swap_cgroup_record at swap-out); each holds
 *   an ID ref and the ID holds the css (mem_cgroup_private_id_get_online, 7.1), and nothing in the
 *   offline path moves them: they go only when the slot is freed;
 * - `dyingChildren`: children not yet freed (a css holds its parent until css_free).
 */
export interface DyingPin {
  memcg: number;
  path: string;
  folios: number;
  swapEntries: number;
  dyingChildren: number;
}

/** What holds a dying memcg, as one label: swap before folios before children (the longest-lived pin first). */
export type PinKind = 'charged folios' | 'swap entries' | 'charged folios + swap entries' | 'dying descendants only' | 'nothing';
export const PIN_KINDS: readonly PinKind[] = [
  'charged folios',
  'swap entries',
  'charged folios + swap entries',
  'dying descendants only',
  'nothing',
];

export function pinKind(p: DyingPin): PinKind {
  if (p.folios && p.swapEntries) return 'charged folios + swap entries';
  if (p.folios) return 'charged folios';
  if (p.swapEntries) return 'swap entries';
  return p.dyingChildren ? 'dying descendants only' : 'nothing';
}

/** Every dying memcg in tree order with its pins. */
export function dyingPins(s: KernelView): DyingPin[] {
  const folios = new Map<number, number>();
  for (const f of s.folios.values()) {
    const id = folioMemcgId(s, f);
    if (id !== undefined) folios.set(id, (folios.get(id) ?? 0) + 1);
  }
  const swap = new Map<number, number>();
  for (const id of s.swapEntries.values()) swap.set(id, (swap.get(id) ?? 0) + 1);
  const out: DyingPin[] = [];
  for (const m of preOrder(s)) {
    if (m.state !== MEMCG_DYING) continue;
    out.push({
      memcg: m.id,
      path: m.path,
      folios: folios.get(m.id) ?? 0,
      swapEntries: swap.get(m.id) ?? 0,
      dyingChildren: m.children.length,
    });
  }
  return out;
}

/** How many dying memcgs each kind of pin holds, in PIN_KINDS order (every kind present, 0 or more). */
export function pinSummary(pins: readonly DyingPin[]): Record<PinKind, number> {
  const by = Object.fromEntries(PIN_KINDS.map((k) => [k, 0])) as Record<PinKind, number>;
  for (const p of pins) by[pinKind(p)]++;
  return by;
}
