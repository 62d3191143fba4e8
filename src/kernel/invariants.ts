import { lruGenIndex } from './mmzone.js';
import { ANON_AND_FILE, NR_EVICTABLE_LRU, MAX_NR_GENS, MEMCG_NR_BINS, MEMCG_NR_GENS, MIN_NR_GENS, NR_LRU_LISTS, LRU_UNEVICTABLE } from './constants.js';
import { folioType, genClassicList, getNrGens, lruGenFromSeq } from './lru_gen.js';
import { preOrder } from './tree.js';
import { Stat } from './stat.js';
import { MEMCG_DYING, MEMCG_ONLINE, folioLruList, type Folio, type KernelState, type ListHead, type Memcg } from './state.js';

export interface Violation {
  invariant: string;
  detail: string;
}

/**
 * The kernel invariants (reference §6), checked over the whole state in O(folios + memcgs).
 * Returns every violation found; an empty array means the state is one the kernel could be in.
 */
export function checkInvariants(s: KernelState): Violation[] {
  const out: Violation[] = [];
  const bad = (invariant: string, detail: string) => out.push({ invariant, detail });

  // Per-memcg pages as folio_memcg() sees them.
  const local = new Map<number, { anon: number; file: number }>();
  for (const m of s.memcgs.values()) local.set(m.id, { anon: 0, file: 0 });
  const objcgPages = new Map<number, { anon: number; file: number }>();
  for (const f of s.folios.values()) {
    const mid = s.objcgCharging ? s.objcgs.get(f.owner)?.memcg : f.owner;
    if (s.objcgCharging && !s.objcgs.has(f.owner)) { bad('owner', `folio ${f.id} owned by missing objcg ${f.owner}`); continue; }
    const l = mid === undefined ? undefined : local.get(mid);
    if (!l) { bad('freed-owns-nothing', `folio ${f.id} belongs to memcg ${mid}, which is not live`); continue; }
    if (f.file) l.file++;
    else l.anon++;
    if (s.objcgCharging) {
      const o = objcgPages.get(f.owner) ?? { anon: 0, file: 0 };
      if (f.file) o.file++;
      else o.anon++;
      objcgPages.set(f.owner, o);
    }
    if (f.file && s.pageCache.get(f.key) !== f.id) bad('page-cache', `file folio ${f.id} is not in the page cache at its key`);
  }
  for (const [key, id] of s.pageCache) {
    const f = s.folios.get(id);
    if (!f || f.key !== key) bad('page-cache', `page-cache key ${key} maps to folio ${id}, which does not hold it`);
  }

  // Lists: sizes = counters, each folio on exactly one list, folio_memcg == lruvec_memcg unless
  // a reparent holds both lruvec locks.
  const seen = new Set<number>();
  const lockedPair = new Set<number>();
  for (const [c, p] of s.reparentLocked) { lockedPair.add(c); lockedPair.add(p); }
  for (const m of s.memcgs.values()) {
    const locked = lockedPair.has(m.id);
    // Walk one list: links, membership, the folio's idea of where it is, whose it is.
    const walk = (l: ListHead, idx: number, name: string): number => {
      let n = 0;
      let prev: Folio | null = null;
      for (let f = l.head; f; f = f.next) {
        n++;
        if (f.prev !== prev) bad('list-links', `${m.path} ${name}: broken prev link at folio ${f.id}`);
        prev = f;
        if (seen.has(f.id)) bad('one-list', `folio ${f.id} is on more than one list`);
        seen.add(f.id);
        if (f.list !== idx) bad('list-index', `folio ${f.id} is on ${name} but records list ${f.list}`);
        const fm = s.objcgCharging ? s.objcgs.get(f.owner)?.memcg : f.owner;
        if (fm !== m.id && !locked) bad('folio_memcg==lruvec_memcg', `folio ${f.id} on ${m.path}'s lruvec but folio_memcg is ${fm}`);
        if (n > s.folios.size) break;
      }
      if (l.tail !== prev) bad('list-links', `${m.path} ${name}: tail is not the last folio`);
      if (n !== l.count) bad('list-count', `${m.path} ${name}: count ${l.count} but ${n} linked`);
      return n;
    };
    for (let lru = 0; lru < NR_LRU_LISTS; lru++) {
      const l = m.lruvec.lists[lru];
      if (s.mglru && l.count) bad('mglru-classic-lists', `${m.path}: classic list ${lru} is in use under MGLRU`);
      const n = walk(l, lru, `list ${lru}`);
      for (let f = l.head; f; f = f.next) if (folioLruList(f) !== lru) bad('list-flags', `folio ${f.id} on list ${lru} but its flags say ${folioLruList(f)}`);
      if (lru !== LRU_UNEVICTABLE && !s.mglru && m.lruvec.size[lru] !== n && !locked) {
        bad('lru-size', `${m.path} ${lru}: lru_zone_size ${m.lruvec.size[lru]} but ${n} folios listed`);
      }
      if (m.lruvec.size[lru] < 0) bad('lru-size', `${m.path} list ${lru}: negative size`);
    }
    if (s.mglru) checkLruGen(m, locked, walk, bad);
  }
  if (seen.size !== s.folios.size) bad('one-list', `${s.folios.size} folios but ${seen.size} on lists`);
  if (s.mglru) checkMemcgLru(s, bad);

  // Charges: hierarchical page counter = sum over the subtree; local sizes; pins.
  const subtree = new Map<number, number>();
  const order = preOrder(s);
  for (let i = order.length - 1; i >= 0; i--) {
    const m = order[i];
    const l = local.get(m.id)!;
    let sum = l.anon + l.file;
    for (const c of m.children) sum += subtree.get(c) ?? 0;
    subtree.set(m.id, sum);
    if (m.memory !== sum) bad('hierarchical-charge', `${m.path}: memory.current ${m.memory} pages, subtree holds ${sum}`);
    if (!lockedPair.has(m.id) && (m.stat[Stat.anon] !== l.anon || m.stat[Stat.file] !== l.file)) {
      bad('local-size', `${m.path}: anon/file ${m.stat[Stat.anon]}/${m.stat[Stat.file]} but folios ${l.anon}/${l.file}`);
    }
    const online = m.state === MEMCG_ONLINE ? 1 : 0;
    const pins = s.objcgCharging ? online : online + l.anon + l.file;
    if (m.cssRefs !== pins) bad('css-refs', `${m.path}: ${m.cssRefs} css refs, expected ${pins}`);
    let desc = 0;
    let dying = 0;
    for (const c of m.children) {
      const cm = s.memcgs.get(c);
      if (!cm) { bad('tree', `${m.path} lists child ${c}, which is not live`); continue; }
      desc += cm.nrDescendants + (cm.state === MEMCG_ONLINE ? 1 : 0);
      dying += cm.nrDyingDescendants + (cm.state === MEMCG_DYING ? 1 : 0);
    }
    if (m.nrDescendants !== desc) bad('cgroup.stat', `${m.path}: nr_descendants ${m.nrDescendants}, tree has ${desc}`);
    if (m.nrDyingDescendants !== dying) bad('cgroup.stat', `${m.path}: nr_dying_descendants ${m.nrDyingDescendants}, tree has ${dying}`);
  }
  if (order.length !== s.memcgs.size) bad('tree', `${s.memcgs.size} live memcgs but ${order.length} reachable from the root`);

  // objcgs: point at live memcgs, counts match, each on exactly one list.
  for (const o of s.objcgs.values()) {
    const m = s.memcgs.get(o.memcg);
    if (!m) { bad('freed-owns-nothing', `objcg ${o.id} points at memcg ${o.memcg}, which is not live`); continue; }
    const onList = m.objcg === o.id || m.objcgList.includes(o.id);
    if (!onList) bad('objcg-list', `objcg ${o.id} points at ${m.path} but is not on its list`);
    if (s.objcgCharging) {
      const p = objcgPages.get(o.id) ?? { anon: 0, file: 0 };
      if (p.anon !== o.nrAnon || p.file !== o.nrFile) bad('objcg-charge', `objcg ${o.id}: ${o.nrAnon}/${o.nrFile} charged but folios ${p.anon}/${p.file}`);
    }
  }
  return out;
}

/**
 * MGLRU (reference §6.2-4): 2 ≤ nr_gens ≤ 4; nr_pages[g][t] = pages whose flags gen is g (the
 * list they sit on may differ: lazy sorting); flags gens and non-empty lists inside the window;
 * the classic active/inactive counters agree with the gens; PG_active clear on MGLRU lists.
 */
function checkLruGen(
  m: Memcg, locked: boolean, walk: (l: ListHead, idx: number, name: string) => number,
  bad: (invariant: string, detail: string) => void,
): void {
  const g = m.lruvec.lrugen;
  const inWindow = (type: number, gen: number) => {
    for (let seq = g.minSeq[type]; seq <= g.maxSeq; seq++) if (lruGenFromSeq(seq) === gen) return true;
    return false;
  };
  const byFlags = new Array<number>(MAX_NR_GENS * ANON_AND_FILE).fill(0);
  for (let type = 0; type < ANON_AND_FILE; type++) {
    const nr = getNrGens(g, type);
    if (nr < MIN_NR_GENS || nr > MAX_NR_GENS) bad('nr_gens', `${m.path} type ${type}: ${nr} generations`);
    for (let gen = 0; gen < MAX_NR_GENS; gen++) {
      const l = g.lists[lruGenIndex(gen, type)];
      walk(l, lruGenIndex(gen, type), `gen ${gen} type ${type}`);
      if (l.count && !inWindow(type, gen)) bad('gen-window', `${m.path}: list of gen ${gen} type ${type} is outside [min_seq, max_seq]`);
      for (let f = l.head; f; f = f.next) {
        if (folioType(f) !== type) bad('gen-type', `folio ${f.id} on a type ${type} list`);
        if (f.active) bad('PG_active', `folio ${f.id} has PG_active on an MGLRU list`);
        if (!inWindow(type, f.gen)) bad('gen-window', `folio ${f.id} has flags gen ${f.gen} outside ${m.path}'s window`);
        else byFlags[lruGenIndex(f.gen, type)]++;
      }
    }
  }
  if (locked) return;
  const sizes = new Array<number>(NR_EVICTABLE_LRU).fill(0);
  for (let type = 0; type < ANON_AND_FILE; type++) {
    for (let gen = 0; gen < MAX_NR_GENS; gen++) {
      const i = lruGenIndex(gen, type);
      if (g.nrPages[i] !== byFlags[i]) bad('nr_pages', `${m.path} gen ${gen} type ${type}: nr_pages ${g.nrPages[i]} but ${byFlags[i]} folios have that flags gen`);
      sizes[genClassicList(g, type, gen)] += g.nrPages[i];
    }
  }
  for (let lru = 0; lru < NR_EVICTABLE_LRU; lru++) {
    if (m.lruvec.size[lru] !== sizes[lru]) bad('active-inactive', `${m.path} list ${lru}: counter ${m.lruvec.size[lru]} but gens hold ${sizes[lru]}`);
  }
}

/** Every live memcg sits once on the memcg LRU, in the gen it records; nr_memcgs counts them. */
function checkMemcgLru(s: KernelState, bad: (invariant: string, detail: string) => void): void {
  const seenAt = new Map<number, number>();
  const counts = new Array<number>(MEMCG_NR_GENS).fill(0);
  s.memcgLru.fifo.forEach((bin, i) => {
    const gen = Math.floor(i / MEMCG_NR_BINS);
    for (const id of bin) {
      if (seenAt.has(id)) bad('memcg-lru', `memcg ${id} is on the memcg LRU twice`);
      seenAt.set(id, gen);
      counts[gen]++;
      const m = s.memcgs.get(id);
      if (!m) bad('memcg-lru', `memcg ${id} is on the memcg LRU but not live`);
      else if (m.lruvec.lrugen.memcgGen !== gen) bad('memcg-lru', `${m.path} is in gen ${gen} but records ${m.lruvec.lrugen.memcgGen}`);
    }
  });
  for (const m of s.memcgs.values()) if (!seenAt.has(m.id)) bad('memcg-lru', `${m.path} is not on the memcg LRU`);
  for (let gen = 0; gen < MEMCG_NR_GENS; gen++) {
    if (counts[gen] !== s.memcgLru.nrMemcgs[gen]) bad('memcg-lru', `nr_memcgs[${gen}] ${s.memcgLru.nrMemcgs[gen]} but ${counts[gen]} listed`);
  }
}
