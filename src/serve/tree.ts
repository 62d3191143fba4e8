import {
  LRU_ACTIVE_ANON,
  LRU_ACTIVE_FILE,
  LRU_INACTIVE_ANON,
  LRU_INACTIVE_FILE,
  LRU_UNEVICTABLE,
  PAGE_SIZE,
  ROOT_MEMCG,
} from '../kernel/constants.js';
import { lruvecOf } from '../kernel/node.js';
import { stateHash } from '../kernel/serialize.js';
import { MEMCG_STATE_NAMES, type MemcgView } from '../kernel/state.js';
import { preOrder } from '../kernel/tree.js';
import type { Store } from '../store/db.js';
import { freedAt, type MemcgLife, memcgLife } from '../store/serve.js';
import { VIEWS } from '../views/index.js';
import type { LruGenValues } from '../views/lru_gen.js';
import { hierarchicalStat, localStat, MEMORY_STAT_KEYS, statValues } from '../views/memory_stat.js';
import type { PointState } from './point.js';

/** One live cgroup in the tree at a point (sizes in bytes, hierarchical as memory.stat prints them). */
export interface TreeNode {
  id: number;
  parent: number;
  path: string;
  state: 'online' | 'dying';
  current: number;
  file: number;
  anon: number;
  nr_descendants: number;
  nr_dying_descendants: number;
}

/** Where a point is and the cgroup tree there: what the timeline redraws as the scrubber moves. */
export interface TreeAt {
  runId: number;
  seq: number;
  tick: number;
  cycle: number;
  endSeq: number;
  /** the state's hash as replay prints it (asked with hash=1: it costs a serialization of the state) */
  stateHash?: string;
  nr_dying: number;
  tree: TreeNode[];
  /** freed memcgs (gone from the state; the memcgs projection): how many by then, the last ones freed */
  freed: { count: number; recent: MemcgLife[] };
}

/** How many of the last freed memcgs the tree lists by name. */
const RECENT_FREED = 10;

export function treeAt(store: Store, p: PointState, withHash = false): TreeAt {
  const { s } = p;
  const stat = hierarchicalStat(s, localStat(s));
  const tree = preOrder(s).map((m): TreeNode => {
    const v = statValues(stat.get(m.id)!);
    return {
      id: m.id,
      parent: m.parent,
      path: m.path,
      state: MEMCG_STATE_NAMES[m.state] as 'online' | 'dying',
      current: m.memory * PAGE_SIZE,
      file: v.file,
      anon: v.anon,
      nr_descendants: m.nrDescendants,
      nr_dying_descendants: m.nrDyingDescendants,
    };
  });
  return {
    runId: p.run.id,
    seq: s.seq,
    tick: s.tick,
    cycle: s.cycle,
    endSeq: p.endSeq,
    ...(withHash ? { stateHash: stateHash(s) } : {}),
    nr_dying: s.memcgs.get(ROOT_MEMCG)?.nrDyingDescendants ?? 0,
    tree,
    freed: freedAt(store, p.run.id, s.seq, RECENT_FREED),
  };
}

/** A classic LRU's list sizes in pages, summed over the nodes. */
export type LruLists = Record<'inactive_anon' | 'active_anon' | 'inactive_file' | 'active_file' | 'unevictable', number>;

/** One cgroup at a point: its kernel files as `cat --json` gives them, its LRU, and its life. */
export interface CgroupAt {
  runId: number;
  seq: number;
  memcg: number;
  path: string;
  state: 'online' | 'dying' | 'freed' | 'not created';
  files: Record<string, unknown>;
  /** the memory.stat keys that are bytes (the rest are counts): from the view, so the page never keeps its own list */
  byteKeys: string[];
  /** MGLRU: this memcg's part of /sys/kernel/debug/lru_gen; classic: null */
  lru_gen: LruGenValues[number] | null;
  lists: LruLists | null;
  /** mkdir, rmdir, free seqs (null for the root, which the machine event makes) */
  life: MemcgLife | null;
}

const BYTE_KEYS = MEMORY_STAT_KEYS.filter((k) => k.bytes).map((k) => k.key);

const FILES = ['memory.current', 'memory.stat', 'memory.events', 'memory.events.local', 'cgroup.stat', 'memory.max', 'memory.high'];

export function cgroupAt(store: Store, p: PointState, memcg: number): CgroupAt {
  const { s } = p;
  const life = memcgLife(store, p.run.id, memcg) ?? null;
  const m = s.memcgs.get(memcg);
  const base = { runId: p.run.id, seq: s.seq, memcg, life, byteKeys: BYTE_KEYS };
  if (!m) {
    const state = life && life.createdSeq <= s.seq ? 'freed' : 'not created';
    return { ...base, path: life?.path ?? '?', state, files: {}, lru_gen: null, lists: null };
  }
  const opts = { msPerTick: p.msPerTick };
  const files: Record<string, unknown> = {};
  for (const f of FILES) if (m.id !== ROOT_MEMCG || VIEWS[f].inRoot) files[f] = VIEWS[f].read(s, m, opts).content;
  let lruGen: CgroupAt['lru_gen'] = null;
  if (s.mglru) {
    const all = VIEWS['/sys/kernel/debug/lru_gen'].read(s, s.memcgs.get(ROOT_MEMCG)!, opts).content as LruGenValues;
    lruGen = all.find((x) => x.memcg === m.id) ?? null;
  }
  return {
    ...base,
    path: m.path,
    state: MEMCG_STATE_NAMES[m.state],
    files,
    lru_gen: lruGen,
    lists: s.mglru
      ? null
      : lists(
          s.nodes.map((n) => n.nid),
          m,
        ),
  };
}

function lists(nids: number[], m: MemcgView): LruLists {
  const sum = (lru: number) => nids.reduce((n, nid) => n + lruvecOf(m, nid).size[lru], 0);
  return {
    inactive_anon: sum(LRU_INACTIVE_ANON),
    active_anon: sum(LRU_ACTIVE_ANON),
    inactive_file: sum(LRU_INACTIVE_FILE),
    active_file: sum(LRU_ACTIVE_FILE),
    unevictable: sum(LRU_UNEVICTABLE),
  };
}
