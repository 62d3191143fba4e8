import {
  decodeSplice,
  type Event,
  EventType,
  FOLIO_FILE,
  RECLAIMERS,
  REFAULT_ACTIVATE,
  REFAULT_RECENT,
  REFAULT_WORKINGSET,
  SPLICE_MGLRU,
  SPLICE_TARGETS,
} from '../kernel/events.js';
import { nidOf } from '../kernel/node.js';
import { SPLICE_NID_UNIT } from '../kernel/reparent.js';
import type { KernelState } from '../kernel/state.js';
import type { ChargeRecord, ProjectionSink } from '../store/projections.js';

const RECLAIMER_NAMES = Object.fromEntries(Object.entries(RECLAIMERS).map(([k, v]) => [v, k])) as Record<number, string>;
const SPLICE_NAMES = Object.fromEntries(Object.entries(SPLICE_TARGETS).map(([k, v]) => [v, k])) as Record<number, string>;
const PAGE = 2 ** 32; // pageCacheKey(): inode << 32 | index

interface Charge extends ChargeRecord {
  cycle: number;
}

/** Where a resumed run's projections pick up: the live folios' charges and the cycles ended so far. */
export interface ResumePoint {
  charges: ReadonlyMap<number, ChargeRecord>;
  cycleEnds: readonly { seq: number; cycle: number }[];
}

/**
 * The projections with a row per event of one type (store/schema.ts: cycles, evictions,
 * refaults, splices), fed event by event with the state right after it. What a row needs from
 * before its event comes from earlier events: the cycle event before (a cycle's first seq) and the
 * folio's charge (who charged it, when, which page), kept for live folios only.
 */
export class LogProjections {
  private readonly charges = new Map<number, Charge>();
  private lastCycleSeq = 0;

  constructor(
    private readonly sink: ProjectionSink,
    private readonly run: number,
    resume?: ResumePoint,
  ) {
    if (!resume) return;
    const ends = resume.cycleEnds;
    this.lastCycleSeq = ends.length ? ends[ends.length - 1].seq : 0;
    for (const [folio, c] of resume.charges) this.charges.set(folio, { ...c, cycle: cycleOf(ends, c.seq) });
  }

  observe(e: Event, s: KernelState): void {
    switch (e.type) {
      case EventType.charge:
        this.charges.set(e.folio, { memcg: e.memcg, seq: e.seq, flags: e.a, key: e.b, cycle: s.cycle + 1 });
        break;
      case EventType.uncharge:
        this.charges.delete(e.folio);
        break;
      case EventType.evict: {
        const c = this.charge(e.folio);
        this.charges.delete(e.folio);
        const file = c.flags & FOLIO_FILE;
        this.sink.row('evictions', {
          run: this.run,
          seq: e.seq,
          tick: e.tick,
          cycle: s.cycle + 1,
          folio: e.folio,
          owner: e.b || null,
          target: e.memcg,
          reclaimer: RECLAIMER_NAMES[e.a] ?? String(e.a),
          charged: c.memcg,
          charged_seq: c.seq,
          charged_cycle: c.cycle,
          file: file ? 1 : 0,
          inode: file ? Math.floor(c.key / PAGE) : null,
          idx: file ? c.key % PAGE : null,
          nid: nidOf(c.flags),
        });
        break;
      }
      case EventType.refault: {
        const c = this.charge(e.folio);
        const file = c.flags & FOLIO_FILE;
        this.sink.row('refaults', {
          run: this.run,
          seq: e.seq,
          tick: e.tick,
          cycle: s.cycle + 1,
          folio: e.folio,
          memcg: c.memcg,
          shadow_memcg: e.memcg,
          recent: e.a & REFAULT_RECENT ? 1 : 0,
          workingset: e.a & REFAULT_WORKINGSET ? 1 : 0,
          activate: e.a & REFAULT_ACTIVATE ? 1 : 0,
          refs: e.b,
          file: file ? 1 : 0,
          inode: file ? Math.floor(c.key / PAGE) : null,
          idx: file ? c.key % PAGE : null,
          nid: nidOf(c.flags),
        });
        break;
      }
      case EventType.splice: {
        const b = e.b % SPLICE_NID_UNIT;
        const mglru = b >= SPLICE_MGLRU;
        const d = decodeSplice(b);
        this.sink.row('splices', {
          run: this.run,
          seq: e.seq,
          tick: e.tick,
          child: e.memcg,
          parent: e.a,
          what: SPLICE_NAMES[b] ?? `b=${b}`,
          lru: mglru ? null : b,
          child_gen: mglru ? d.childGen : null,
          type: mglru ? d.type : null,
          parent_gen: mglru ? d.parentGen : null,
          mode: mglru ? d.mode : null,
          nid: Math.floor(e.b / SPLICE_NID_UNIT),
        });
        break;
      }
      case EventType.cycle:
        this.sink.row('cycles', { run: this.run, seq: e.seq, tick: e.tick, cycle: e.a, first_seq: this.lastCycleSeq + 1 });
        this.lastCycleSeq = e.seq;
        break;
    }
  }

  /** The charge of a live folio (evolve has already refused an event on a folio never charged). */
  private charge(folio: number): Charge {
    return this.charges.get(folio) ?? { memcg: 0, seq: 0, flags: 0, key: 0, cycle: 0 };
  }
}

/** The cycle an event at `seq` belongs to: the first cycle ending at or after it, else the one under way. */
function cycleOf(ends: readonly { seq: number; cycle: number }[], seq: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid].seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo < ends.length ? ends[lo].cycle : (ends.length ? ends[ends.length - 1].cycle : 0) + 1;
}
