import { E, GEN_UPDATE_BATCHED } from '../../kernel/events.js';
import { folioNid, lruvecOf } from '../../kernel/node.js';
import { folioMemcgId, type MemcgView } from '../../kernel/state.js';
import { incMaxSeq } from '../aging_mglru.js';
import type { Ctx } from '../context.js';
import { freeIfUnpinned } from '../release.js';
import type { Task } from '../tasks.js';

/**
 * try_to_inc_max_seq() with a page-table walk as a task of its own (machine.concurrency.agingWalk):
 * walk_mm() visits the memcg's young mapped folios one step at a time, each promotion batched in
 * walk->nr_pages (update_batch_size); at the end reset_batch_size() writes the batch into the
 * lruvec (walk_flush), inc_max_seq() ages it if max_seq did not move, and the css ref that
 * mem_cgroup_iter() took is dropped. Between two steps the workload runs on: the memcg can exit
 * and be reparented under the walk, the race reported after the merge.
 */
export class WalkTask implements Task {
  private pos = 0;

  constructor(
    private readonly memcg: number,
    private readonly nid: number,
    private readonly seq: number,
    private readonly newGen: number,
    private readonly folios: readonly number[],
    private readonly swappiness: number,
  ) {}

  /** walk_start and the task; the caller's try_to_inc_max_seq returns false (the walk is not done). */
  static spawn(ctx: Ctx, m: MemcgView, nid: number, newGen: number, young: readonly number[], swappiness: number): void {
    const seq = lruvecOf(m, nid).lrugen.maxSeq;
    ctx.emit(E.walkStart(m.id, nid, seq));
    ctx.tasks!.spawn(new WalkTask(m.id, nid, seq, newGen, young, swappiness));
  }

  step(ctx: Ctx): boolean {
    // walk_pte_range → get_pfn_folio(): only folios still of this memcg and node, still young
    while (this.pos < this.folios.length) {
      const f = ctx.s.folios.get(this.folios[this.pos++]);
      if (!f?.mapped || !f.young || f.gen < 0 || folioMemcgId(ctx.s, f) !== this.memcg || folioNid(f) !== this.nid) continue;
      ctx.emit(E.genUpdate(f.id, this.newGen, GEN_UPDATE_BATCHED));
      return false;
    }
    const w = ctx.s.walk!;
    ctx.emit(E.walkFlush(w.home, this.nid)); // reset_batch_size(): walk->lruvec, or the parent with the fix
    const m = ctx.s.memcgs.get(this.memcg)!;
    if (lruvecOf(m, this.nid).lrugen.maxSeq === this.seq) incMaxSeq(ctx, m, this.nid, this.swappiness);
    ctx.emit(E.walkEnd(this.memcg, this.nid));
    freeIfUnpinned(ctx, this.memcg); // the walk's css ref may have been the last
    return true;
  }
}

/** Whether a walk task is running on node nid's lruvec of memcg `id` (as its walker or where its batch lands). */
export function walkOn(ctx: Ctx, id: number, nid: number): boolean {
  const w = ctx.s.walk;
  return !!w && w.nid === nid && (w.memcg === id || w.home === id);
}
