import type { KernelView } from '../state.js';
import type { Census, Report } from './types.js';

/**
 * objcgs point at live memcgs, sit on that memcg's objcg list (of one node: 7.1 keeps one objcg
 * per memcg per node), and count the pages charged through them; an objcg charges folios of its
 * node only.
 */
export function checkObjcgs(s: KernelView, c: Census, bad: Report): void {
  for (const o of s.objcgs.values()) {
    const m = s.memcgs.get(o.memcg);
    if (!m) {
      bad('freed-owns-nothing', `objcg ${o.id} points at memcg ${o.memcg}, which is not live`);
      continue;
    }
    const nodes = m.nodeinfo.filter((pn) => pn.objcg === o.id || pn.objcgList.includes(o.id)).length;
    if (nodes !== 1) bad('objcg-list', `objcg ${o.id} points at ${m.path} but is on ${nodes} of its node lists, not one`);
    if (s.objcgCharging) {
      const p = c.objcgPages.get(o.id) ?? { anon: 0, file: 0 };
      if (p.anon !== o.nrAnon || p.file !== o.nrFile)
        bad('objcg-charge', `objcg ${o.id}: ${o.nrAnon}/${o.nrFile} charged but folios ${p.anon}/${p.file}`);
    }
  }
}
