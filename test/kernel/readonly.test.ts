import { describe, expect, it } from 'vitest';
import { lruvecOf } from '../../src/kernel/node.js';
import { createState, type KernelState, type KernelView } from '../../src/kernel/state.js';
import type { Ctx } from '../../src/policy/context.js';

/**
 * The typed core boundary: what a decider sees (Ctx.s, a DeepReadonly KernelView) cannot be
 * written. Every `@ts-expect-error` below must stay an error: if a line type-checks, tsc fails on
 * the unused directive. (Checked by tsc over test/; the bodies never run.)
 */
function decider(ctx: Ctx): void {
  const s = ctx.s;
  // @ts-expect-error the state's scalars are read only
  s.tick = 5;
  // @ts-expect-error Maps are ReadonlyMaps: no set
  s.memcgs.set(9, s.memcgs.get(1)!);
  // @ts-expect-error no delete either
  s.folios.delete(1);
  const m = s.memcgs.get(1)!;
  // @ts-expect-error memcg fields
  m.nrTasks++;
  // @ts-expect-error arrays are readonly arrays
  m.stat[0] = 1;
  // @ts-expect-error no push on a readonly array
  m.children.push(2);
  const lv = lruvecOf(m, 0);
  // @ts-expect-error lruvec sizes
  lv.size[0]--;
  // @ts-expect-error MGLRU gens
  lv.lrugen.maxSeq++;
  const f = lv.lists[0].head!;
  // @ts-expect-error through the intrusive list: the next folio is read only too
  f.next!.refs = 3;
  // @ts-expect-error and its links
  f.prev!.next = null;
  // @ts-expect-error the memcg LRU of a node
  s.nodes[0].memcgLru.fifo[0].push(1);
}

/** Reading is fine, and a mutable state is a KernelView (evolve's state goes to deciders as is). */
function reader(s: KernelState): number {
  const view: KernelView = s;
  let n = 0;
  for (const m of view.memcgs.values()) n += lruvecOf(m, 0).size[0] + m.stat.length;
  return n;
}

describe('typed core boundary', () => {
  it('deciders read through a deep read-only view (the compile-time part is checked by tsc)', () => {
    expect(typeof decider).toBe('function');
    expect(reader(createState())).toBeGreaterThan(0);
  });
});
