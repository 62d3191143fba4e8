import { LabError } from '../errors.js';
import { ROOT_MEMCG } from '../kernel/constants.js';
import { type KernelView, MEMCG_ONLINE, type MemcgView } from '../kernel/state.js';
import { renderCgroupStat } from './cgroup_stat.js';
import { renderLruGen } from './lru_gen.js';
import { renderMemoryCurrent } from './memory_current.js';
import { renderMemoryEvents, renderMemoryEventsLocal } from './memory_events.js';
import { renderMemoryHigh, renderMemoryLow, renderMemoryMax, renderMemoryMin } from './memory_limits.js';
import { renderMemoryStat } from './memory_stat.js';

export interface View {
  /** exists in the root cgroup too (the kernel gives the root no memory.current / memory.stat) */
  inRoot: boolean;
  /** the file's text, exactly as the kernel prints it, for this cgroup */
  render(s: KernelView, m: MemcgView, opts: ViewOptions): string;
}

/** What a view needs from the run's experiment rather than from the state. */
export interface ViewOptions {
  /** milliseconds per tick (machine.msPerTick), for ages */
  msPerTick: number;
}

/**
 * Kernel files by name. A name starting with `/` is a whole path outside the cgroup tree (e.g.
 * `/sys/kernel/debug/lru_gen`) and is rendered with the root memcg; any other name is a file in
 * every cgroup directory.
 */
export const VIEWS: Record<string, View> = {
  'memory.current': { inRoot: false, render: renderMemoryCurrent },
  'memory.stat': { inRoot: false, render: renderMemoryStat },
  'memory.max': { inRoot: false, render: renderMemoryMax },
  'memory.high': { inRoot: false, render: renderMemoryHigh },
  'memory.min': { inRoot: false, render: renderMemoryMin },
  'memory.low': { inRoot: false, render: renderMemoryLow },
  'memory.events': { inRoot: false, render: renderMemoryEvents },
  'memory.events.local': { inRoot: false, render: renderMemoryEventsLocal },
  'cgroup.stat': { inRoot: true, render: renderCgroupStat },
  '/sys/kernel/debug/lru_gen': { inRoot: true, render: renderLruGen },
};

/** Render `<cgroup path>/<file>` (or a global file's path) against a state, or say clearly why not. */
export function renderPath(s: KernelView, path: string, opts: ViewOptions = { msPerTick: 1 }): string {
  const global = Object.hasOwn(VIEWS, path) ? VIEWS[path] : undefined;
  if (path.startsWith('/') && global) return global.render(s, s.memcgs.get(ROOT_MEMCG)!, opts);
  if (!path.startsWith('/'))
    throw new LabError(`'${path}' is not an absolute path; give <cgroup path>/<file>, e.g. /system.slice/memory.stat`);
  const cut = path.lastIndexOf('/');
  const dir = path.slice(0, cut) || '/';
  const file = path.slice(cut + 1);
  const view = Object.hasOwn(VIEWS, file) && !file.startsWith('/') ? VIEWS[file] : undefined;
  if (!view) {
    const known = Object.keys(VIEWS).join(', ');
    throw new LabError(`no file '${file}' in the model; files: ${known}`);
  }
  const m = findMemcg(s, dir);
  if (m.id === ROOT_MEMCG && !view.inRoot) {
    throw new LabError(
      `${file} does not exist in the root cgroup (the kernel has it for non-root cgroups only); try cgroup.stat, or a child like /system.slice/${file}`,
    );
  }
  return view.render(s, m, opts);
}

/** The live memcg at a path: the online one if a dying one shares its name (the kernel shows the new directory). */
function findMemcg(s: KernelView, path: string): MemcgView {
  let found: MemcgView | undefined;
  for (const m of s.memcgs.values()) {
    if (m.path === path && (!found || m.state === MEMCG_ONLINE)) found = m;
  }
  if (found) return found;
  throw new LabError(
    `no live cgroup ${path} at seq ${s.seq} (not created yet, or already freed: see the memcgs table); pick another --seq, --tick or --cycle`,
  );
}
