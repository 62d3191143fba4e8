import { describe, expect, it } from 'vitest';
import { LabError } from '../../src/errors.js';
import { parseShard, shardCells, shardDbPath, shardFromEnv, shardOf } from '../../src/lab/shards.js';

const cells = (seeds: number[], policies = ['legacy', 'same-gen', 'tail', 'age-order'], sets: string[][] = [[]]) =>
  sets.flatMap((s) => policies.flatMap((policy) => seeds.map((seed) => ({ policy, seed, sets: s }))));

describe('shards: which runs a slice holds, and where a scheduler says which slice it is', () => {
  it('the N shards of a matrix are disjoint and cover it; adding a seed or an axis value moves no other run', () => {
    for (const n of [1, 2, 3, 4, 7, 16]) {
      const all = cells([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const slices = [...Array(n).keys()].map((index) => shardCells(all, { index, count: n }));
      expect(slices.flat().length).toBe(all.length);
      expect(new Set(slices.flat()).size).toBe(all.length);
      const grown = cells([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], ['legacy', 'same-gen', 'tail', 'age-order', 'reparent']);
      for (const c of all) expect(shardOf(grown.find((g) => g.policy === c.policy && g.seed === c.seed)!, n)).toBe(shardOf(c, n));
    }
    const a = cells([1, 2], ['legacy'], [['workload.cycles=6'], ['workload.cycles=8']]);
    const b = cells([1, 2], ['legacy'], [['workload.cycles=6'], ['workload.cycles=8'], ['workload.cycles=10']]);
    expect(a.map((c) => shardOf(c, 5))).toEqual(b.slice(0, 4).map((c) => shardOf(c, 5)));
    // the hash is of the parameters, pinned: the same matrix splits the same way in every version
    expect(cells([1, 2, 3]).map((c) => shardOf(c, 4))).toEqual([0, 3, 2, 0, 0, 2, 1, 0, 0, 2, 1, 3]);
  });

  it('--shard i/N and the scheduler environment; bad values are one LabError each', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(shardFromEnv({})).toBeUndefined();
    const slurm = { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '4' };
    expect(shardFromEnv(slurm)).toEqual({ index: 2, count: 4 });
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '8', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_STEP: '4' })).toEqual({
      index: 2,
      count: 4,
    });
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '0', MEMCGLAB_SHARD_COUNT: '3' })).toEqual({ index: 0, count: 3 });
    const bad: [() => unknown, RegExp][] = [
      [() => parseShard('4/4'), /shard index 4 is not below the shard count 4/],
      [() => parseShard('0/0'), /the shard count is 0/],
      [() => parseShard('-1/4'), /expected i\/N/],
      [() => parseShard('1/4/2'), /expected i\/N/],
      [() => parseShard('1.5/4'), /expected i\/N/],
      [() => shardFromEnv({ ...slurm, SLURM_ARRAY_TASK_ID: '0' }), /not in the array's range/],
      [() => shardFromEnv({ ...slurm, SLURM_ARRAY_TASK_ID: '6' }), /shard index 5 is not below the shard count 4/],
      [() => shardFromEnv({ ...slurm, SLURM_ARRAY_TASK_COUNT: '0' }), /the shard count is 0/],
      [() => shardFromEnv({ ...slurm, SLURM_ARRAY_TASK_MIN: 'one' }), /SLURM_ARRAY_TASK_MIN=one is not a whole number/],
      [
        () =>
          shardFromEnv({ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_STEP: '2', SLURM_ARRAY_TASK_MIN: '1' }),
        /not in the array's range/,
      ],
      [() => shardFromEnv({ MEMCGLAB_SHARD_COUNT: '4' }), /MEMCGLAB_SHARD_COUNT=4 is set but JOB_COMPLETION_INDEX is not/],
      [() => shardFromEnv({ JOB_COMPLETION_INDEX: 'x', MEMCGLAB_SHARD_COUNT: '4' }), /JOB_COMPLETION_INDEX=x is not a whole number/],
    ];
    for (const [f, msg] of bad) {
      expect(f).toThrow(LabError);
      expect(f).toThrow(msg);
    }
  });

  it("a shard's database is named after it, next to the default one", () => {
    expect(shardDbPath('./memcglab.db', { index: 2, count: 4 })).toBe('memcglab.shard-2-of-4.db');
    expect(shardDbPath('/data/study.sqlite', { index: 0, count: 1 })).toBe('/data/study.shard-0-of-1.sqlite');
    expect(shardDbPath('lab', { index: 1, count: 2 })).toBe('lab.shard-1-of-2.db');
  });
});
