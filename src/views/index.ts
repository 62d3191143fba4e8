import { LabError } from '../errors.js';
import { ROOT_MEMCG } from '../kernel/constants.js';
import { type KernelView, MEMCG_ONLINE, type MemcgView } from '../kernel/state.js';
import { readCgroupStat } from './cgroup_stat.js';
import { formatLruGen, readLruGen } from './lru_gen.js';
import { readMemoryCurrent } from './memory_current.js';
import { readMemoryEvents, readMemoryEventsLocal } from './memory_events.js';
import { formatValue, readMemoryHigh, readMemoryLow, readMemoryMax, readMemoryMin } from './memory_limits.js';
import { formatMemoryNumaStat, readMemoryNumaStat } from './memory_numa_stat.js';
import { formatKeyed, readMemoryStat } from './memory_stat.js';

/** What a view needs from the run's experiment rather than from the state. */
export interface ViewOptions {
  /** milliseconds per tick (machine.msPerTick), for ages */
  msPerTick: number;
}

/** A file as data (what `cat --json` prints) and as the kernel's text, the text made from the data. */
export interface FileRead {
  content: unknown;
  text: string;
}

export interface View {
  /** exists in the root cgroup too (CFTYPE_NOT_ON_ROOT unset) */
  inRoot: boolean;
  read(s: KernelView, m: MemcgView, opts: ViewOptions): FileRead;
}

/** One file: read its content as data, print the kernel's text from that same data. */
function view<T>(inRoot: boolean, read: (s: KernelView, m: MemcgView, opts: ViewOptions) => T, format: (v: T) => string): View {
  return {
    inRoot,
    read(s, m, opts) {
      const content = read(s, m, opts);
      return { content, text: format(content) };
    },
  };
}

/**
 * Kernel files by name. A name starting with `/` is a whole path outside the cgroup tree (e.g.
 * `/sys/kernel/debug/lru_gen`) and is rendered with the root memcg; any other name is a file in
 * every cgroup directory. memory.stat and memory.numa_stat exist in the root too (mainline
 * memory_files[]), memory.current and the tunables do not.
 */
export const VIEWS: Record<string, View> = {
  'memory.current': view(false, readMemoryCurrent, formatValue),
  'memory.stat': view(true, readMemoryStat, formatKeyed),
  'memory.numa_stat': view(true, readMemoryNumaStat, formatMemoryNumaStat),
  'memory.max': view(false, readMemoryMax, formatValue),
  'memory.high': view(false, readMemoryHigh, formatValue),
  'memory.min': view(false, readMemoryMin, formatValue),
  'memory.low': view(false, readMemoryLow, formatValue),
  'memory.events': view(false, readMemoryEvents, formatKeyed),
  'memory.events.local': view(false, readMemoryEventsLocal, formatKeyed),
  'cgroup.stat': view(true, readCgroupStat, (v) => formatKeyed({ ...v })),
  '/sys/kernel/debug/lru_gen': view(true, readLruGen, formatLruGen),
};

/** A file read at a path: the cgroup it belongs to (none for a global file), its content and text. */
export interface PathRead extends FileRead {
  file: string;
  cgroup?: { memcg: number; path: string };
}

/** Read `<cgroup path>/<file>` (or a global file's path) from a state, or say clearly why not. */
export function readPath(s: KernelView, path: string, opts: ViewOptions = { msPerTick: 1 }): PathRead {
  const global = Object.hasOwn(VIEWS, path) ? VIEWS[path] : undefined;
  if (path.startsWith('/') && global) return { file: path, ...global.read(s, s.memcgs.get(ROOT_MEMCG)!, opts) };
  if (!path.startsWith('/'))
    throw new LabError(`'${path}' is not an absolute path; give <cgroup path>/<file>, e.g. /system.slice/memory.stat`);
  const cut = path.lastIndexOf('/');
  const dir = path.slice(0, cut) || '/';
  const file = path.slice(cut + 1);
  const view = Object.hasOwn(VIEWS, file) && !file.startsWith('/') ? VIEWS[file] : undefined;
  if (!view) throw new LabError(unknownFile(file));
  const m = findMemcg(s, dir);
  if (m.id === ROOT_MEMCG && !view.inRoot) {
    throw new LabError(
      `${file} does not exist in the root cgroup (the kernel has it for non-root cgroups only); try memory.stat or cgroup.stat, or a child like /system.slice/${file}`,
    );
  }
  return { file, cgroup: { memcg: m.id, path: m.path }, ...view.read(s, m, opts) };
}

/** Render `<cgroup path>/<file>` as the kernel prints it. */
export function renderPath(s: KernelView, path: string, opts: ViewOptions = { msPerTick: 1 }): string {
  return readPath(s, path, opts).text;
}

/** Why a file name is refused: PSI is named as not modelled, anything else lists the files that are. */
function unknownFile(file: string): string {
  const known = Object.keys(VIEWS).join(', ');
  if (/^[a-z]+\.pressure$/.test(file))
    return `${file} is PSI (pressure stall information), which the lab does not model (it simulates no task stalls); files it models: ${known}`;
  return `no file '${file}' in the model; files: ${known}`;
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
