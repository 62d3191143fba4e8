import {
  type DeepReadonly,
  type Folio,
  type FolioView,
  folioMemcg,
  type KernelState,
  type KernelView,
  type Lruvec,
  type LruvecView,
  type PgData,
} from './state.js';

// Nodes (include/linux/mmzone.h, memcontrol.h). Only node 0 runs; every per-node structure is
// reached through these helpers, so more nodes means raising NR_NODES, giving events a node
// column and the state encoding a node count.

/**
 * The node an event's memcg-level mutation applies to. The event catalogue has no nid column
 * yet, so every event that names a memcg's lruvec (age, inc_min_seq, splice, memcg LRU) means
 * node 0's.
 */
export const EVENT_NID = 0;

/** mem_cgroup_lruvec(memcg, NODE_DATA(nid)): memcg->nodeinfo[nid]->lruvec. */
export function lruvecOf<M extends { readonly nodeinfo: readonly { readonly lruvec: object }[] }>(
  m: M,
  nid: number,
): M['nodeinfo'][number]['lruvec'] {
  return m.nodeinfo[nid].lruvec;
}

/** NODE_DATA(nid). */
export function nodeData<S extends { readonly nodes: readonly DeepReadonly<PgData>[] }>(s: S, nid: number): S['nodes'][number] {
  return s.nodes[nid];
}

/** folio_nid(): a folio's node; folios carry no nid while one node runs. */
export function folioNid(_f: FolioView): number {
  return 0;
}

/** The number of nodes (nr_node_ids) of a state. */
export function nrNodes(s: KernelView): number {
  return s.nodes.length;
}

/** folio_lruvec(): the lruvec of the folio's memcg on the folio's node. */
export function folioLruvec(s: KernelState, f: Folio): Lruvec;
export function folioLruvec(s: KernelView, f: FolioView): LruvecView;
export function folioLruvec(s: KernelView, f: FolioView): LruvecView {
  return lruvecOf(folioMemcg(s, f), folioNid(f));
}
