import { createHash } from 'node:crypto';
import { basename, dirname, extname, join } from 'node:path';
import { LabError } from '../errors.js';
import type { Cell } from './matrix.js';

/**
 * One slice of a sweep's matrix, for a batch scheduler's array task: shard `index` (0-based) of
 * `count`. Stored in the sweep's matrix JSON, so a rerun or `sweep --resume` runs the same slice.
 */
export interface Shard {
  index: number;
  count: number;
}

/** Environment variables a shard is read from when `--shard` is not given. */
export const SHARD_ENV = {
  slurmId: 'SLURM_ARRAY_TASK_ID',
  slurmCount: 'SLURM_ARRAY_TASK_COUNT',
  slurmMin: 'SLURM_ARRAY_TASK_MIN',
  slurmStep: 'SLURM_ARRAY_TASK_STEP',
  k8sIndex: 'JOB_COMPLETION_INDEX',
  /** Kubernetes gives a pod its index but not the Job's completions: set it to spec.completions */
  count: 'MEMCGLAB_SHARD_COUNT',
} as const;

/** A whole number written in decimal (no sign, no exponent), or undefined. */
function whole(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,15}$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

function checked(index: number, count: number, where: string, fix: string): Shard {
  if (count === 0) throw new LabError(`${where}: the shard count is 0; it must be at least 1 (${fix})`);
  if (index >= count)
    throw new LabError(`${where}: shard index ${index} is not below the shard count ${count} (indexes run 0..${count - 1}; ${fix})`);
  return { index, count };
}

/** `--shard i/N`: shard i (0-based) of N. */
export function parseShard(text: string): Shard {
  const m = text.trim().match(/^(\d+)\/(\d+)$/);
  const index = whole(m?.[1]);
  const count = whole(m?.[2]);
  if (index === undefined || count === undefined)
    throw new LabError(`--shard ${text}: expected i/N, shard i (counted from 0) of N, e.g. --shard 0/4`);
  return checked(index, count, `--shard ${text}`, 'e.g. --shard 0/4 .. --shard 3/4');
}

function envNumber(env: NodeJS.ProcessEnv, name: string, fix: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const n = whole(v);
  if (n === undefined) throw new LabError(`${name}=${v} is not a whole number; ${fix}`);
  return n;
}

/**
 * The shard a batch scheduler's array task is, from its environment (undefined outside one):
 * Slurm: (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP of
 * SLURM_ARRAY_TASK_COUNT (ids may start at any number: `--array=1-4` is shards 0..3 of 4);
 * Kubernetes Indexed Job: JOB_COMPLETION_INDEX of MEMCGLAB_SHARD_COUNT (the Job's completions).
 */
export function shardFromEnv(env: NodeJS.ProcessEnv): Shard | undefined {
  const e = SHARD_ENV;
  const slurmFix = 'submit the sweep as an sbatch array over a range (e.g. --array=0-3), or pass --shard i/N';
  const id = envNumber(env, e.slurmId, slurmFix);
  if (id !== undefined) {
    const count = envNumber(env, e.slurmCount, slurmFix);
    if (count === undefined) throw new LabError(`${e.slurmId} is set but ${e.slurmCount} is not; ${slurmFix}`);
    const min = envNumber(env, e.slurmMin, slurmFix) ?? 0;
    const step = envNumber(env, e.slurmStep, slurmFix) ?? 1;
    const where = `${e.slurmId}=${id} (${e.slurmMin}=${min}, ${e.slurmStep}=${step}, ${e.slurmCount}=${count})`;
    if (step === 0 || id < min || (id - min) % step !== 0)
      throw new LabError(`${where}: the task id is not in the array's range; ${slurmFix}`);
    return checked((id - min) / step, count, where, slurmFix);
  }
  const k8sFix = `set ${e.count} to the Job's spec.completions, or pass --shard i/N`;
  const index = envNumber(env, e.k8sIndex, k8sFix);
  const count = envNumber(env, e.count, k8sFix);
  if (index === undefined) {
    if (count !== undefined)
      throw new LabError(`${e.count}=${count} is set but ${e.k8sIndex} is not; run in an Indexed Job, or pass --shard i/N`);
    return undefined;
  }
  if (count === undefined) throw new LabError(`${e.k8sIndex}=${index} is set but ${e.count} is not; ${k8sFix}`);
  return checked(index, count, `${e.k8sIndex}=${index} (${e.count}=${count})`, k8sFix);
}

/**
 * The shard a cell belongs to among `count`: the first 8 bytes of sha256 over its policy, seed
 * and axis values (not its position), so adding a seed or a value moves no other run.
 */
export function shardOf(cell: Pick<Cell, 'policy' | 'seed' | 'sets'>, count: number): number {
  const h = createHash('sha256')
    .update(JSON.stringify([cell.policy, cell.seed, cell.sets]))
    .digest();
  return Number(h.readBigUInt64BE(0) % BigInt(count));
}

/** The cells of `shard` (all of them without one), in expansion order. */
export function shardCells<T extends Pick<Cell, 'policy' | 'seed' | 'sets'>>(cells: T[], shard: Shard | undefined): T[] {
  return shard ? cells.filter((c) => shardOf(c, shard.count) === shard.index) : cells;
}

/** A shard's own database next to the default one: memcglab.db → memcglab.shard-2-of-4.db. */
export function shardDbPath(path: string, s: Shard): string {
  const ext = extname(path);
  const stem = basename(path, ext);
  return join(dirname(path), `${stem}.shard-${s.index}-of-${s.count}${ext || '.db'}`);
}

export function shardLabel(s: Shard): string {
  return `${s.index}/${s.count}`;
}
