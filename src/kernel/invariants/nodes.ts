import { NODE_EVENT_STATS } from '../stat.js';
import type { KernelView } from '../state.js';
import type { Census, Report } from './types.js';

/**
 * Per node: every memcg has one mem_cgroup_per_node per node; each node's allocated pages are
 * the folios on it (its zone's free pages read this); a memcg's node event counters add up to
 * its counter; each folio sits on its own node's lruvec (checked by checkListLinks).
 */
export function checkNodes(s: KernelView, _c: Census, bad: Report): void {
  const perNode = s.nodes.map(() => 0);
  for (const f of s.folios.values()) {
    if (f.nid < 0 || f.nid >= s.nodes.length) bad('folio-node', `folio ${f.id} is on node ${f.nid}, which does not exist`);
    else perNode[f.nid]++;
  }
  s.nodes.forEach((pgdat, nid) => {
    if (pgdat.nid !== nid) bad('node-id', `NODE_DATA(${nid}) says nid ${pgdat.nid}`);
    if (pgdat.nrFolios !== perNode[nid]) bad('node-folios', `node ${nid} counts ${pgdat.nrFolios} folios but ${perNode[nid]} are on it`);
  });
  for (const m of s.memcgs.values()) {
    if (m.nodeinfo.length !== s.nodes.length) bad('memcg-nodes', `${m.path} has ${m.nodeinfo.length} nodeinfo, not ${s.nodes.length}`);
    NODE_EVENT_STATS.forEach((item, k) => {
      let sum = 0;
      for (const pn of m.nodeinfo) sum += pn.lruvecStat[k];
      if (sum !== m.stat[item]) bad('node-stat', `${m.path}: stat ${item} is ${m.stat[item]} but its nodes add up to ${sum}`);
    });
  }
}
