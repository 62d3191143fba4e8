import type { Event } from '../events.js';
import { folioMemcgId, type KernelState, type KernelView, type MemcgGet } from '../state.js';
import { EvolveError } from './error.js';

// evolve() for get_mem_cgroup_from_folio() run as a task (machine.concurrency.memcgGetter):
//   rcu_read_lock(); do { memcg = folio_memcg(folio); } while (!css_tryget(&memcg->css)); rcu_read_unlock();
// one read or one css_tryget per event, so the workload can reparent and free between them.

/** How deep a memcg sits: 0 for the root, 1 for its children… (the most ancestors that can die above a folio's memcg). */
export function memcgDepth(s: KernelView, id: number): number {
  let d = 0;
  for (let m = s.memcgs.get(id); m?.parent; m = s.memcgs.get(m.parent)) d++;
  return d;
}

function call(s: KernelState, e: Event): MemcgGet {
  const g = s.memcgGet;
  if (!g) throw new EvolveError(e, 'no get_mem_cgroup_from_folio() call is in progress');
  return g;
}

/** memcg = folio_memcg(folio): the first read of a call (b = 0) or the read after its b-th failed css_tryget. */
export function memcgGetRead(s: KernelState, e: Event): void {
  const f = s.folios.get(e.folio);
  if (!f) throw new EvolveError(e, `no folio ${e.folio} (the caller holds the folio it asks about)`);
  const now = folioMemcgId(s, f);
  if (now !== e.memcg) throw new EvolveError(e, `folio_memcg(folio ${f.id}) is memcg ${now}, not ${e.memcg}`);
  if (e.b === 0) {
    if (s.memcgGet) throw new EvolveError(e, 'a get_mem_cgroup_from_folio() call is already in progress');
    s.memcgGet = { folio: f.id, memcg: e.memcg, retries: 0, bound: memcgDepth(s, e.memcg), held: false };
    return;
  }
  const g = call(s, e);
  if (g.held || g.folio !== f.id || g.retries !== e.b)
    throw new EvolveError(e, `the call in progress is on folio ${g.folio} after ${g.retries} failed css_trygets`);
  g.memcg = e.memcg;
}

/**
 * css_tryget(&memcg->css): a ref when the refcount is not zero (the memcg cannot be freed while it
 * is held), a failure when it is (the memcg waits for the grace period to be freed). A failure
 * past the call's bound is a spin: recorded for the bounded-retries invariant.
 */
export function cssTryget(s: KernelState, e: Event): void {
  const g = call(s, e);
  if (g.held || g.memcg !== e.memcg) throw new EvolveError(e, `the call in progress tries memcg ${g.memcg}`);
  const m = s.memcgs.get(e.memcg);
  if (!m) throw new EvolveError(e, `memcg ${e.memcg} is freed: css_tryget would read freed memory`);
  if (e.b) {
    if (m.cssRefs === 0) throw new EvolveError(e, `${m.path}'s css refcount is zero: css_tryget cannot succeed`);
    m.cssRefs++;
    g.held = true;
    s.memcgGets.calls++;
    ended(s, g);
    return;
  }
  if (m.cssRefs !== 0) throw new EvolveError(e, `${m.path} has ${m.cssRefs} css refs: css_tryget cannot fail`);
  g.retries++;
  if (g.retries === g.bound + 1) {
    const f = s.folios.get(g.folio);
    const now = f ? (folioMemcgId(s, f) ?? 0) : 0;
    s.spins.push({ seq: e.seq, folio: g.folio, memcg: m.id, retries: g.retries, bound: g.bound, now });
  }
}

/** css_put(): the caller is done with the memcg the call returned. */
export function cssPut(s: KernelState, e: Event): void {
  const g = call(s, e);
  if (!g.held || g.memcg !== e.memcg) throw new EvolveError(e, `the call in progress holds no ref on memcg ${e.memcg}`);
  const m = s.memcgs.get(e.memcg);
  if (!m) throw new EvolveError(e, `memcg ${e.memcg} was freed while a css ref was held`);
  m.cssRefs--;
  s.memcgGet = null;
}

/** The lab ends a call without a memcg (its folio went, or it cut a spin). */
export function memcgGetGiveup(s: KernelState, e: Event): void {
  const g = call(s, e);
  if (g.held) throw new EvolveError(e, 'the call holds a ref: it ends with css_put');
  s.memcgGets.giveups++;
  ended(s, g);
  s.memcgGet = null;
}

function ended(s: KernelState, g: MemcgGet): void {
  s.memcgGets.retries += g.retries;
  if (g.retries > s.memcgGets.maxRetries) s.memcgGets.maxRetries = g.retries;
}
