// The kernel versions of "Eliminate Dying Memory Cgroup" the lab models: v1 as posted
// (2025-10-28, cover.1761658310) and the series as merged for Linux 7.1 (v6, 2026-03-05, taken
// into mm for 7.1-rc1). Every rule that differs between them is one named switch, declared here
// once with both values, the patch that changed it, and whether it changes what the lab models
// (the lab models cgroup v2 and only a few kernel tasks concurrently, so cgroup-v1-only rules and
// those about paths it does not run as tasks are declared but have no effect). The deciders read the resolved switches from the policy; the
// README table is generated from this list (series_table.ts) and a test keeps them equal.

/** `machine.kernel` values; the first is the default. */
export const KERNELS = ['7.1', 'v1'] as const;
export type KernelVersion = (typeof KERNELS)[number];
export const DEFAULT_KERNEL: KernelVersion = '7.1';

/**
 * What a switch changes in the lab:
 * - model: events and state (a run's results);
 * - lock record: only what the log records about the locks taken (reparent_locks.b);
 * - nodes > 1: nothing while one node is modelled;
 * - none: nothing the lab models (the reason says why).
 */
export type SwitchEffect = 'model' | 'lock record' | 'nodes > 1' | 'none';

export interface SwitchDecl {
  /** the value in v1 as posted */
  readonly v1: boolean;
  /** the value in 7.1 */
  readonly '7.1': boolean;
  /** what `true` means, in kernel terms */
  readonly means: string;
  /** the patch, commit or mail that changed it */
  readonly changedIn: string;
  readonly effect: SwitchEffect;
  /** why it has (or has not) an effect in the lab */
  readonly why: string;
  /** the 7.1 value is not verified in 7.1 source: the reason */
  readonly unverified?: string;
  /** a fix posted after the merge: off in both versions, on only when an experiment asks */
  readonly postMerge?: boolean;
}

export const SWITCHES = {
  mglru_splice_tail: {
    v1: true,
    '7.1': false,
    means:
      'lru_gen_reparent_memcg splices each child gen to the tail of the parent gen (list_splice_tail_init); false: the head (list_splice_init)',
    changedIn:
      "v3 (head, no reason given); v6 26/33 = f304652609ea has head; Harry Yoo's v6 review (acFALMLIvjP4i76U@hyeyoo) and Qi Zheng's 2026-03-24 reply agree to go back to tail",
    effect: 'model',
    why: 'the scan takes the oldest gen from its tail: at the head, child folios are evicted last within their gen',
    unverified: 'no fix-up found in the archives or the mainline commit list; 7.1 modelled as the merged v6 text (head)',
  },
  reparent_node_by_node: {
    v1: false,
    '7.1': true,
    means:
      "memcg_reparent_objcgs takes objcg_lock, child lru_lock (subclass 1), parent lru_lock (subclass 2) per node and drops them between nodes; false: objcg_lock then every node's child and parent lru_lock at once (subclasses 0..2N-1)",
    changedIn: "v5 (Usama Arif's lockdep report, Shakeel Butt's suggestion); v1 overflows MAX_LOCKDEP_SUBCLASSES beyond 4 nodes",
    effect: 'lock record',
    why: 'at one node the splices are the same either way; reparent_locks.b records the lock order and subclasses',
  },
  objcg_per_node: {
    v1: false,
    '7.1': true,
    means: "one objcg per memcg per node (pn->objcg), picked by the charging CPU's numa_node_id()",
    changedIn: 'v5, 01b9da291c49',
    effect: 'nodes > 1',
    why: 'one objcg either way',
  },
  mglru_max_gens_per_node: {
    v1: false,
    '7.1': true,
    means: 'max_lru_gen_memcg / recheck_lru_gen_max_memcg run per node inside the node loop',
    changedIn: 'v5',
    effect: 'nodes > 1',
    why: 'the same aging; the reparent step follows reparent_node_by_node',
  },
  mglru_age_bumps_mm_seq: {
    v1: false,
    '7.1': true,
    means: 'the parent is aged by try_to_inc_max_seq_nowalk: mm_state->seq bumped under mm_list->lock, then inc_max_seq',
    changedIn: 'v2 25/28 (Harry Yoo)',
    effect: 'none',
    why: 'the lab has no mm_list / mm_state walker sequence: the parent ages by inc_max_seq either way',
  },
  mglru_active_stat_move: {
    v1: false,
    '7.1': true,
    means:
      'the active/inactive lru sizes move only for gens whose activity differs between child and parent; false: always -n on the child, +n on the parent',
    changedIn: 'v3 broke it, v4 26/31 fixed it (Harry Yoo)',
    effect: 'none',
    why: 'the same hierarchical result (cgroup v2 shows only hierarchical stats); the lab moves per-lruvec sizes the v1 way, which its list-size invariant needs',
  },
  reparent_unevictable_zone_size: {
    v1: false,
    '7.1': true,
    means: 'MGLRU reparenting also moves lru_zone_size (LRU_UNEVICTABLE is the only non-zero one)',
    changedIn: 'v3 ("fix lru_zone_size issue"), v4',
    effect: 'none',
    why: 'the lab has no unevictable folios (mlock is not modelled)',
  },
  stats_v1_local_reparent: {
    v1: false,
    '7.1': true,
    means: "reparent_state_local(): the child's local LRU stats move to the parent once after all nodes",
    changedIn: 'v3 28/30 (Yosry Ahmed), v4 atomic, v6 non-atomic; 8285917d6f38',
    effect: 'none',
    why: 'cgroup v1 only (returns at once on v2); the lab models cgroup v2',
  },
  stats_v1_redirect_dying: {
    v1: false,
    '7.1': true,
    means: 'get_non_dying_memcg_start(): stat updates to a dying memcg go to its nearest live ancestor; offline runs as RCU work',
    changedIn: 'v4 (Shakeel Butt); 8285917d6f38, 5371e350fda7',
    effect: 'none',
    why: 'cgroup v1 only (no redirect on the default hierarchy); the lab models cgroup v2 and no RCU grace periods',
  },
  nr_pages_long: {
    v1: false,
    '7.1': true,
    means: 'nr_pages is long (was int) in the MGLRU splice and mem_cgroup_update_lru_size',
    changedIn: 'v2 (Harry Yoo); 1c514a2c6e4c, 85358bad68f5',
    effect: 'none',
    why: "the lab's counters are exact numbers",
  },
  evict_no_irq_disable: {
    v1: false,
    '7.1': true,
    means: 'evict_folios no longer disables local IRQs',
    changedIn: 'v2 04/28 (Harry Yoo)',
    effect: 'none',
    why: 'concurrency only',
  },
  mglru_batch_forwarding: {
    v1: false,
    '7.1': false,
    means:
      "lock_batch_lruvec(): a page-table walk's pending batch follows lrugen->reparented, so reset_batch_size() writes it into the parent's lruvec; false: into the dead child's (walk->lruvec)",
    changedIn:
      "after the merge: [PATCH] mm: mglru: fix stale batch updates after memcg reparenting (20260622073703.79258-1-qi.zheng@linux.dev, Fixes: f304652609ea), for Peiyang He's '[BUG] mm: mglru: stale aging batch'",
    effect: 'model',
    why: 'with machine.concurrency.agingWalk, a walk batch pending across a reparent lands in the parent instead of the dying child',
    unverified: 'whether the fix is merged is not known: 7.1 is modelled without it (the race is there)',
    postMerge: true,
  },
  memcg_ref_via_get_from_folio: {
    v1: false,
    '7.1': true,
    means: 'get_mem_cgroup_from_folio() + css_put instead of an RCU read section',
    changedIn: 'v3 (Johannes Weiner)',
    effect: 'none',
    why: 'concurrency only',
  },
} as const satisfies Record<string, SwitchDecl>;

export type SwitchName = keyof typeof SWITCHES;
export const SWITCH_NAMES = Object.keys(SWITCHES) as SwitchName[];
/** The switches an experiment may override (machine.switches): those that change something the lab records. */
export const OVERRIDABLE_SWITCHES = SWITCH_NAMES.filter((n) => {
  const e: SwitchEffect = SWITCHES[n].effect;
  return e === 'model' || e === 'lock record';
});

/** The resolved rules a run follows. */
export type Switches = Readonly<Record<SwitchName, boolean>>;

/** The switches of a kernel version, with an experiment's overrides applied. */
export function seriesSwitches(kernel: KernelVersion = DEFAULT_KERNEL, overrides: Partial<Record<SwitchName, boolean>> = {}): Switches {
  const out = {} as Record<SwitchName, boolean>;
  for (const n of SWITCH_NAMES) out[n] = overrides[n] ?? SWITCHES[n][kernel];
  return out;
}
