import { describe, expect, it } from 'vitest';
import {
  LRUVEC_STATS_PERCPU_BYTES_5_18,
  LRUVEC_STATS_PERCPU_BYTES_7_1,
  MEMCG_VMSTATS_PERCPU_BYTES_5_18,
  MEMCG_VMSTATS_PERCPU_BYTES_7_1,
  memcgSizeParts,
  sumParts,
} from '../../src/kernel/memcg_size.js';
import { memcgSizeBytes, parseExperiment } from '../../src/lab/experiment.js';

const exp = (machine: Record<string, unknown>) =>
  parseExperiment({ machine, workload: { kind: 'restart-cycles', cycles: 1 } }, 'test', false);

describe('the size of a dying memcg, part by part', () => {
  it("reproduces Waiman Long's 2022 percpu figure exactly (20220421145845.1044652-1-longman@redhat.com)", () => {
    // "memcg_vmstats_percpu and lruvec_stats_percpu have a size of 2424 and 656 bytes"
    expect(MEMCG_VMSTATS_PERCPU_BYTES_5_18).toBe(2424);
    expect(LRUVEC_STATS_PERCPU_BYTES_5_18).toBe(656);
    // "2 sockets and 96 threads … a percpu stats data size of 350.25 kB per memcg"
    const p = memcgSizeParts('5.18', 96, 2, 'one');
    expect(p.dying_percpu).toBe(358_656);
    expect(p.dying_percpu / 1024).toBe(350.25);
    // "That means 72852 kB of percpu data for 208 memcg's"
    expect((208 * p.dying_percpu) / 1024).toBe(72_852);
  });

  it('7.1 at 32 CPUs and 1 node: 65,024 percpu + 6,144 struct + 4,096 per node + 384 objcg = 75,648 B', () => {
    // memcg_vmstats_percpu 24 + 16·(47+7) + 16·22 = 1240 → 1280 (cacheline); lruvec_stats_percpu 16·47 = 752
    expect(MEMCG_VMSTATS_PERCPU_BYTES_7_1).toBe(1280);
    expect(LRUVEC_STATS_PERCPU_BYTES_7_1).toBe(752);
    const p = memcgSizeParts('7.1', 32, 1, 'per-node');
    expect(p).toEqual({ dying_percpu: 65_024, dying_memcg_struct: 6_144, dying_per_node: 4_096, dying_objcg: 384 });
    expect(sumParts(p)).toBe(75_648); // ≈ Gushchin's ~75 KB at 32 CPUs (2019), by another route
  });

  it('objcgs: one per node in 7.1 (01b9da291c49), one in the posted v1', () => {
    const perNode = memcgSizeParts('7.1', 96, 2, 'per-node');
    const one = memcgSizeParts('7.1', 96, 2, 'one');
    expect(perNode.dying_objcg).toBe(2 * (128 + 8 * 96));
    expect(one.dying_objcg).toBe(128 + 8 * 96);
    expect(perNode.dying_percpu).toBe(96 * (1280 + 2 * 752)); // ≈ 261 KiB against 350.25 KiB in 2022
  });

  it('the experiment picks the layout; machine.memcgSize still overrides', () => {
    expect(memcgSizeBytes(exp({}))).toBe(75_648);
    expect(memcgSizeBytes(exp({ cpus: 96, memcgLayout: '5.18' }))).toBe(96 * (2424 + 656) + 4096 + 2048 + 128 + 8 * 96);
    expect(memcgSizeBytes(exp({ memcgSize: '64KiB', memcgLayout: '5.18' }))).toBe(65_536);
    expect(() => exp({ memcgLayout: '6.1' })).toThrow(/memcgLayout/);
  });
});
