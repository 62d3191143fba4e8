import { spawnSync } from 'node:child_process';
import { cpus, platform, release, totalmem } from 'node:os';
import type { MachineInfo } from './types.js';

/** What the figures were measured on: node, CPU, and the git commit of the code. */
export function machineInfo(root: string): MachineInfo {
  const c = cpus();
  return {
    node: process.version,
    cpu: c[0]?.model?.trim() || 'unknown',
    cores: c.length,
    memory: totalmem(),
    platform: `${platform()} ${release()}`,
    commit: gitCommit(root),
  };
}

function gitCommit(root: string): string | null {
  try {
    const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', timeout: 5000 });
    const sha = r.status === 0 ? r.stdout.trim() : '';
    return /^[0-9a-f]{40}$/.test(sha) ? sha : null;
  } catch {
    return null;
  }
}
