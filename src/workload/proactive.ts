import { z } from 'zod';
import { PAGE_SIZE } from '../kernel/constants.js';
import { type KernelView, MEMCG_ONLINE } from '../kernel/state.js';
import type { Ctx } from '../policy/context.js';
import { memoryReclaimSteps, runToEnd } from '../policy/memcg_reclaim.js';
import { cgroupPath, size } from './options.js';

/**
 * One proactive-reclaim agent writing memory.reclaim (senpai, systemd-oomd style) at the end of a
 * cycle's work: every `everyCycles` cycles or once at `atCycle`; either `bytes` (one write, with
 * the optional `swappiness=`), or `goal`: the cgroup selftest's reclaim_until() — up to 5 writes of
 * `memory.current − goal`, stopping once current is below the goal or within 3% of it.
 */
export const ProactiveSchema = z
  .strictObject({
    cgroup: cgroupPath.describe('the cgroup written: one setup creates, or the job cgroup of the cycle it fires in'),
    everyCycles: z.number().int().positive().optional().describe('write every this many cycles (or give atCycle)'),
    atCycle: z.number().int().positive().optional().describe('write once, in this cycle (or give everyCycles)'),
    bytes: size('bytes').optional().describe('one write of this many bytes to memory.reclaim (or give goal)'),
    goal: size('goal')
      .optional()
      .describe('reclaim_until(): write current − goal, up to 5 tries, until current is near the goal (or give bytes)'),
    swappiness: z.number().int().min(0).max(200).optional().describe('the swappiness= argument of the write, 0-200'),
  })
  // the two "exactly one of" rules below, for editors (the JSON Schema); zod checks them in superRefine
  .meta({
    allOf: [
      { oneOf: [{ required: ['everyCycles'] }, { required: ['atCycle'] }] },
      { oneOf: [{ required: ['bytes'] }, { required: ['goal'] }] },
    ],
  })
  .superRefine((p, ctx) => {
    if ((p.everyCycles === undefined) === (p.atCycle === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of everyCycles and atCycle' });
    }
    if ((p.bytes === undefined) === (p.goal === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'give exactly one of bytes (one memory.reclaim write) and goal (reclaim_until: write current − goal, up to 5 tries)',
      });
    }
  });

export type Proactive = z.output<typeof ProactiveSchema>;

/** reclaim_until() retries (tools/testing/selftests/cgroup/test_memcontrol.c). */
export const RECLAIM_UNTIL_TRIES = 5;

/** values_close(a, b, err) of the cgroup selftests: |a − b| ≤ (a + b) / 100 × err. */
export function valuesClose(a: number, b: number, err: number): boolean {
  return Math.abs(a - b) <= ((a + b) / 100) * err;
}

/** Does entry `p` fire at the end of cycle `cycle`? */
export function firesAt(p: Proactive, cycle: number): boolean {
  return p.atCycle === cycle || (p.everyCycles !== undefined && cycle % p.everyCycles === 0);
}

/** The online memcg at a path (a removed cgroup's directory is gone: its files cannot be opened), or 0. */
function memcgAt(s: KernelView, path: string): number {
  for (const m of s.memcgs.values()) if (m.path === path && m.state === MEMCG_ONLINE) return m.id;
  return 0;
}

/**
 * Run the proactive entries due at the end of `cycle`'s work. A cgroup that does not exist then is
 * passed over (ENOENT). With machine.concurrency.memoryReclaim each agent is a task of its own, a
 * memory.reclaim pass per step, so the cycle's exits and rmdirs run while it reclaims.
 */
export function runProactive(ctx: Ctx, entries: readonly Proactive[], cycle: number): void {
  for (const p of entries) {
    if (!firesAt(p, cycle)) continue;
    const memcg = memcgAt(ctx.s, p.cgroup);
    if (!memcg) continue;
    const agent = proactiveAgent(ctx, p, memcg);
    if (ctx.tasks?.opts.memoryReclaim) ctx.tasks.writeTo(memcg, agent);
    else runToEnd(agent);
  }
}

/** One agent's writes to memory.reclaim of `memcg`, a reclaim pass per step. */
function* proactiveAgent(ctx: Ctx, p: Proactive, memcg: number): Generator<void, void> {
  if (p.bytes !== undefined) yield* memoryReclaimSteps(ctx, memcg, Math.floor(p.bytes / PAGE_SIZE), p.swappiness);
  else yield* reclaimUntil(ctx, memcg, p.goal!, p.swappiness);
}

/**
 * reclaim_until(memcg, goal) of the selftest: read memory.current; stop below the goal or within
 * 3%; stop (the selftest fails) if an earlier write succeeded yet current is still off; else write
 * `current − goal` (bytes) to memory.reclaim; EAGAIN lets it try again.
 */
function* reclaimUntil(ctx: Ctx, memcg: number, goal: number, swappiness: number | undefined): Generator<void, void> {
  let reclaimed = false;
  for (let tries = RECLAIM_UNTIL_TRIES; tries > 0; tries--) {
    const current = ctx.s.memcgs.get(memcg)!.memory * PAGE_SIZE;
    if (current < goal || valuesClose(current, goal, 3)) return;
    if (reclaimed) return;
    if (yield* memoryReclaimSteps(ctx, memcg, Math.floor((current - goal) / PAGE_SIZE), swappiness)) reclaimed = true;
  }
}
