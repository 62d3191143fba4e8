// The events around a point (filter by type, memcg, folio) and a folio's life story; every seq
// links back to the timeline.
import { errorBox, esc, get, qs } from './api.js';

let types;
const filter = { type: '', memcg: '', folio: '' };

function row(e, here) {
  const folio = e.folio ? `<a href="#" data-folio="${e.folio}" title="its life story">${e.folio}</a>` : '';
  return `<tr class="${e.seq === here ? 'here' : ''}" data-seq="${e.seq}"><td><a href="#" data-goto="${e.seq}">${e.seq}</a></td><td>${e.tick}</td>
    <td>${esc(e.type)}</td><td class="num">${folio}</td><td>${esc(e.text)}</td></tr>`;
}

const table = (events, here) =>
  `<table class="events"><thead><tr><th>seq</th><th>tick</th><th>type</th><th>folio</th><th>what</th></tr></thead><tbody>${events.map((e) => row(e, here)).join('')}</tbody></table>`;

function wire(el, hooks) {
  el.addEventListener('click', (ev) => {
    const a = ev.target.closest('a[data-goto], a[data-folio]');
    if (!a) return;
    ev.preventDefault();
    if (a.dataset.goto) hooks.goto(Number(a.dataset.goto));
    else story(el.querySelector('#story'), hooks.runId, Number(a.dataset.folio), hooks.seq);
  });
}

export async function showEvents(el, runId, seq, hooks) {
  types ??= await get('/api/event-types');
  if (!el.querySelector('#evfilter')) {
    el.innerHTML = `<form id="evfilter" class="filters">
        <label>type <select name="type"><option value="">any</option>${types.map((t) => `<option>${esc(t)}</option>`).join('')}</select></label>
        <label>memcg <input name="memcg" size="6"></label><label>folio <input name="folio" size="8"></label><button>filter</button></form>
      <div id="evlist"></div><div id="story"></div>`;
    const form = el.querySelector('#evfilter');
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      for (const k of Object.keys(filter)) filter[k] = form.elements[k].value.trim();
      list(el, runId, hooks.seq).catch((e) => errorBox(el.querySelector('#evlist'), e));
    });
    wire(el, hooks);
  }
  hooks.runId = runId;
  hooks.seq = seq;
  await list(el, runId, seq);
}

async function list(el, runId, seq) {
  const r = await get(`/api/runs/${runId}/events${qs({ seq, limit: 15, ...filter })}`);
  el.querySelector('#evlist').innerHTML = table([...r.before, ...r.after], seq);
}

async function story(el, runId, folio, seq) {
  try {
    const r = await get(`/api/runs/${runId}/folios/${folio}${qs({ seq })}`);
    el.innerHTML = `<h3>folio ${folio}: its life</h3><p class="muted">its events and the splices of its memcg's lists, seq ${r.searched.from}–${r.searched.to}${r.truncated ? ' (first 2000)' : ''}</p>${table(r.events, seq)}`;
  } catch (e) {
    errorBox(el, e);
  }
}
