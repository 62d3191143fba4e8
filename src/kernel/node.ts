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

// Nodes (include/linux/mmzone.h, memcontrol.h). Every per-node structure is reached through these
// helpers. A folio's node is fixed when it is allocated (the charge event says which), so events
// on a folio derive it; memcg-level events that act on one node's lruvec carry the nid in the
// high bits of a small column (NID_SHIFT), where logs of one node have 0.

/** Events that name a memcg's lruvec carry nid × 2^NID_SHIFT added to a column whose own values are < 2^NID_SHIFT. */
export const NID_SHIFT = 8;
const NID_UNIT = 1 << NID_SHIFT;

/** A column value with a node id folded in above its own bits. */
export function withNid(v: number, nid: number): number {
  return v + nid * NID_UNIT;
}

/** The node id folded into a column (0 in logs of one node). */
export function nidOf(v: number): number {
  return Math.floor(v / NID_UNIT);
}

/** The column's own value, without the node id. */
export function withoutNid(v: number): number {
  return v % NID_UNIT;
}

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

/** folio_nid(): the node a folio was allocated on. */
export function folioNid(f: FolioView): number {
  return f.nid;
}

/** The number of nodes (nr_node_ids) of a state. */
export function nrNodes(s: KernelView): number {
  return s.nodes.length;
}

/** The node a job's folios go to under `local` placement: its memcg id modulo the nodes (a job's home node). */
export function homeNid(s: KernelView, memcg: number): number {
  return memcg % s.nodes.length;
}

/** The zonelist of a node (build_zonelists): the node itself first, then the others in distance (here: id) order. */
export function zonelist(s: KernelView, nid: number): number[] {
  const out = [nid];
  for (let n = 0; n < s.nodes.length; n++) if (n !== nid) out.push(n);
  return out;
}

/** folio_lruvec(): the lruvec of the folio's memcg on the folio's node. */
export function folioLruvec(s: KernelState, f: Folio): Lruvec;
export function folioLruvec(s: KernelView, f: FolioView): LruvecView;
export function folioLruvec(s: KernelView, f: FolioView): LruvecView {
  return lruvecOf(folioMemcg(s, f), folioNid(f));
}
