// The cgroup tree at a point and one cgroup's files: what `replay --json` and `cat --json` say there.
import { bytes, esc } from './api.js';

export function renderTree(el, at, selected, onSelect) {
  const depth = new Map([[0, -1]]);
  const rows = at.tree.map((m) => {
    const d = (depth.get(m.parent) ?? -1) + 1;
    depth.set(m.id, d);
    const name = m.id === 1 ? '/' : m.path.slice(m.path.lastIndexOf('/') + 1);
    return `<tr data-memcg="${m.id}" data-state="${m.state}" data-current="${m.current}" class="${m.state}${m.id === selected ? ' selected' : ''}">
      <td style="padding-left:${0.4 + d * 1.1}em" title="${esc(m.path)}">${esc(name)}</td><td>${m.id}</td><td><span class="state ${m.state}">${m.state}</span></td>
      <td class="num">${bytes(m.current)}</td><td class="num">${bytes(m.file)}</td><td class="num">${bytes(m.anon)}</td>
      <td class="num">${m.nr_descendants}</td><td class="num">${m.nr_dying_descendants}</td></tr>`;
  });
  const recent = at.freed.recent.map((f) => `<a href="#/run/${at.runId}?seq=${f.freedSeq}&memcg=${f.id}">${esc(f.path)}</a>`).join(', ');
  el.innerHTML = `<table class="tree"><thead><tr><th>cgroup</th><th>memcg</th><th>state</th><th class="num">memory.current</th>
    <th class="num">file</th><th class="num">anon</th><th class="num">nr_descendants</th><th class="num">nr_dying</th></tr></thead>
    <tbody>${rows.join('')}</tbody></table>
    <p class="muted">${at.freed.count} freed memcgs${at.freed.count ? ` (last freed: ${recent})` : ''}</p>`;
  for (const tr of el.querySelectorAll('tr[data-memcg]')) tr.addEventListener('click', () => onSelect(Number(tr.dataset.memcg)));
}

function keyed(title, values, asBytes = new Set()) {
  if (!values) return '';
  const rows = Object.entries(values)
    .map(
      ([k, v]) =>
        `<tr><td>${esc(k)}</td><td class="num">${asBytes.has(k) ? `${bytes(v)} <span class="muted">${v}</span>` : esc(v)}</td></tr>`,
    )
    .join('');
  return `<div class="file"><h3>${esc(title)}</h3><table class="kv">${rows}</table></div>`;
}

/** MGLRU generations of each node as bars per type (anon, file), oldest first as the debugfs file prints them. */
function lruGen(g) {
  const max = Math.max(1, ...g.nodes.flatMap((n) => n.gens.flatMap((x) => [x.anon, x.file])));
  const bar = (v, type) => `<span class="bar ${type}" style="width:${(75 * v) / max}%"></span><span class="n">${v}</span>`;
  return `<div class="file"><h3>lru_gen</h3>${g.nodes
    .map(
      (
        n,
      ) => `<table class="lrugen" data-node="${n.node}"><thead><tr><th>node ${n.node} seq</th><th class="num">age ms</th><th>anon</th><th>file</th></tr></thead><tbody>
      ${n.gens
        .map(
          (x) =>
            `<tr data-gen="${x.seq}" data-anon="${x.anon}" data-file="${x.file}"><td>${x.seq}</td><td class="num">${x.age_ms}</td><td class="barcell">${bar(x.anon, 'anon')}</td><td class="barcell">${bar(x.file, 'file')}</td></tr>`,
        )
        .join('')}</tbody></table>`,
    )
    .join('')}</div>`;
}

function lists(l) {
  const max = Math.max(1, ...Object.values(l));
  return `<div class="file"><h3>LRU lists (pages)</h3><table class="lrugen">${Object.entries(l)
    .map(
      ([k, v]) =>
        `<tr data-list="${k}" data-pages="${v}"><td>${k}</td><td class="barcell"><span class="bar ${k.endsWith('anon') ? 'anon' : 'file'}" style="width:${(75 * v) / max}%"></span><span class="n">${v}</span></td></tr>`,
    )
    .join('')}</table></div>`;
}

export function renderCgroup(el, c, runId) {
  const at = (seq, what) =>
    seq === null || seq === undefined ? '' : `<a href="#/run/${runId}?seq=${seq}&memcg=${c.memcg}">${what} at seq ${seq}</a>`;
  const life = c.life
    ? [at(c.life.createdSeq, 'mkdir'), at(c.life.offlineSeq, 'rmdir'), at(c.life.freedSeq, 'freed')].filter(Boolean).join(' · ')
    : 'made by the machine';
  if (c.state === 'freed' || c.state === 'not created') {
    el.innerHTML = `<p class="muted">${esc(c.path)} is ${c.state} at seq ${c.seq}.</p><p>${life}</p>`;
    return;
  }
  const f = c.files;
  el.innerHTML = `<p class="life">${life}</p>
    <div class="files">
      ${c.lru_gen ? lruGen(c.lru_gen) : ''}${c.lists ? lists(c.lists) : ''}
      ${keyed('memory.stat', f['memory.stat'], new Set(c.byteKeys))}
      ${keyed('memory.events', f['memory.events'])}
      ${keyed('cgroup.stat', f['cgroup.stat'])}
      ${f['memory.current'] !== undefined ? keyed('memory.current, max, high', { 'memory.current': f['memory.current'], 'memory.max': f['memory.max'], 'memory.high': f['memory.high'] }, new Set(['memory.current'])) : ''}
    </div>`;
}
