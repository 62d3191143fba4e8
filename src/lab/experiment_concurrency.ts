import { z } from 'zod';
import { THP_SPLIT_QUEUE_HELP, thpSplitQueueMismatch } from '../policy/deferred_split.js';
import { MEMCG_GETTER_HELP } from '../policy/memcg_getter.js';
import { PCT_HELP } from '../policy/pct.js';
import { anyTask, TASK_OPTIONS } from '../policy/tasks.js';
import type { FieldError } from './experiment_errors.js';

/** machine.concurrency: the kernel tasks beside the workload (policy/tasks.ts) and their scheduler. */
export const ConcurrencySchema = z
  .strictObject({
    agingWalk: z
      .boolean()
      .default(false)
      .describe('the MGLRU page-table walk runs as a task of its own beside the workload, batching its size updates (MGLRU only)'),
    cgroupReader: z
      .boolean()
      .default(false)
      .describe(
        "a task reads /proc/kpagecgroup (page_cgroup_ino: folio_memcg() under rcu_read_lock, then the memcg's cgroup) for a random folio now and then",
      ),
    lruBatch: z
      .boolean()
      .default(false)
      .describe(
        'folio_activate() goes through the per-CPU folio batch, drained by a task that takes each folio lruvec lock with folio_lruvec_lock() (classic LRU)',
      ),
    kswapd: z
      .boolean()
      .optional()
      .describe(
        'kswapd runs as a task of its own, one balance_pgdat() priority pass per step, instead of inline after the charge that woke it',
      ),
    neighbour: z
      .number()
      .int()
      .min(1)
      .max(2 ** 32 - 1)
      .optional()
      .describe(
        'a second job on another CPU (/neighbour.slice) reads a random page of its own file of this many pages per step: its charges, kswapd wake-ups and direct reclaim run beside the workload',
      ),
    directReclaim: z
      .boolean()
      .optional()
      .describe(
        "the workload's direct reclaim (and memory.reclaim run inline) can be preempted between its priority passes: other tasks run there",
      ),
    memoryReclaim: z
      .boolean()
      .optional()
      .describe(
        "the workload's memory.reclaim agents (workload.proactive) run as tasks, one reclaim pass per step, instead of to the end before the cycle's exits",
      ),
    offlineWorker: z
      .boolean()
      .optional()
      .describe(
        'memcg offline (the reparent) can be preempted between max_lru_gen_memcg and taking the lruvec locks, and between nodes: other tasks run there',
      ),
    memcgGetter: z.boolean().default(false).describe(MEMCG_GETTER_HELP),
    thpSplitQueue: z.boolean().default(false).describe(THP_SPLIT_QUEUE_HELP),
    stepProbability: z
      .number()
      .gt(0)
      .max(1)
      .default(0.25)
      .describe("the chance a task runs its next step at each of the workload's preemption points (the run's PRNG decides)"),
    scheduler: z.enum(['random', 'pct']).optional().describe(PCT_HELP.scheduler),
    pctDepth: z.number().int().min(1).max(16).optional().describe(PCT_HELP.pctDepth),
    pctSteps: z.number().int().min(1).optional().describe(PCT_HELP.pctSteps),
  })
  .prefault({})
  .describe('kernel work interleaved with the workload by a deterministic scheduler (issue 13); off: everything runs inline');

/**
 * Options that would do nothing where they are set: the page-table walk exists only on MGLRU, the
 * activate batch only on the classic LRU (MGLRU's folio_mark_accessed() never activates), the
 * memory.reclaim tasks only with memory.reclaim agents, PCT only with tasks to schedule.
 */
export function concurrencyErrors(c: z.output<typeof ConcurrencySchema>, lru: string, o: Record<string, unknown>): FieldError[] {
  const out: FieldError[] = [];
  const w = o.workload as { proactive?: unknown } | undefined;
  if (c.memoryReclaim && !(Array.isArray(w?.proactive) && w.proactive.length))
    out.push({
      path: ['machine', 'concurrency', 'memoryReclaim'],
      got: 'got true',
      allowed: "runs the workload's memory.reclaim agents as tasks: needs workload.proactive entries (or false)",
    });
  const kind = (o.workload as { kind?: unknown } | undefined)?.kind ?? 'restart-cycles';
  if (c.neighbour && kind !== 'restart-cycles')
    out.push({
      path: ['machine', 'concurrency', 'neighbour'],
      got: `got ${c.neighbour}`,
      allowed: 'a trace owns every inode, the neighbour\'s file among them: needs workload.kind "restart-cycles" (or leave it out)',
    });
  if (c.agingWalk && lru !== 'mglru')
    out.push({
      path: ['machine', 'concurrency', 'agingWalk'],
      got: 'got true',
      allowed: 'the page-table walk is MGLRU aging: needs machine.lru "mglru" (or false)',
    });
  if (c.lruBatch && lru !== 'classic')
    out.push({
      path: ['machine', 'concurrency', 'lruBatch'],
      got: 'got true',
      allowed: 'the activate batch is the classic LRU\'s (MGLRU never activates on access): needs machine.lru "classic" (or false)',
    });
  const thp = c.thpSplitQueue ? thpSplitQueueMismatch(o.policy ?? 'reparent', (o.workload as { kind?: unknown } | undefined)?.kind) : null;
  if (thp) out.push({ path: ['machine', 'concurrency', 'thpSplitQueue'], got: 'got true', allowed: thp });
  if (c.scheduler !== 'pct') {
    for (const k of ['pctDepth', 'pctSteps'] as const) {
      if (c[k] !== undefined)
        out.push({
          path: ['machine', 'concurrency', k],
          got: `got ${c[k]}`,
          allowed: 'a PCT setting: needs machine.concurrency.scheduler "pct"',
        });
    }
  } else if (!anyTask(c)) {
    out.push({
      path: ['machine', 'concurrency', 'scheduler'],
      got: 'got "pct"',
      allowed: `schedules tasks: needs one of machine.concurrency.${TASK_OPTIONS.join(', ')} on (or leave it out)`,
    });
  }
  return out;
}
