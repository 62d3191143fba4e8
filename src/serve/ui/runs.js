// The runs page: runs and sweeps, filtered as `memcglab runs` filters them, with their tags;
// tick several runs to compare them.
import { errorBox, esc, get, qs } from './api.js';

const FILTERS = [
  ['name', 'name (glob)'],
  ['tag', 'tag key[=value]'],
  ['policy', 'policy'],
  ['status', 'status'],
];

/** A run's error naming a seq (verify, explore, an invariant) links to the timeline there. */
function errorLink(r) {
  if (!r.error) return '';
  const m = /seq (\d+)/.exec(r.error);
  const text = esc(r.error.length > 90 ? `${r.error.slice(0, 87)}…` : r.error);
  return m ? `<a href="#/run/${r.id}?seq=${m[1]}" title="${esc(r.error)}">${text}</a>` : `<span title="${esc(r.error)}">${text}</span>`;
}

const tags = (t) =>
  Object.entries(t ?? {})
    .map(([k, v]) => `<span class="tag">${esc(k)}=${esc(v)}</span>`)
    .join(' ');

export function showRuns(main, params) {
  main.innerHTML = `
    <h1>Runs</h1>
    <form id="filter" class="filters">
      ${FILTERS.map(([k, label]) => `<label>${label} <input name="${k}" value="${esc(params.get(k) ?? '')}"></label>`).join('')}
      <button type="submit">filter</button>
      <button type="button" id="compare" disabled>compare selected</button>
    </form>
    <div id="runs"><p class="muted">loading…</p></div>
    <h2>Sweeps</h2>
    <div id="sweeps"></div>`;
  const form = main.querySelector('#filter');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    for (const [k] of FILTERS) if (form.elements[k].value) p.set(k, form.elements[k].value);
    location.hash = `#/?${p}`;
  });
  const compare = main.querySelector('#compare');
  compare.addEventListener('click', () => {
    const ids = [...main.querySelectorAll('input.pick:checked')].map((c) => c.value);
    location.hash = `#/compare?runs=${ids.join(',')}`;
  });
  const filter = { ...Object.fromEntries(FILTERS.map(([k]) => [k, params.get(k) ?? ''])), sweep: params.get('sweep') ?? '' };
  get(`/api/runs${qs(filter)}`)
    .then((page) => {
      const el = main.querySelector('#runs');
      if (!page.runs.length) {
        el.innerHTML = `<p class="muted">${page.total ? 'no run matches' : 'no runs yet: memcglab run experiments/default.json'}</p>`;
        return;
      }
      el.innerHTML = `<table class="runs"><thead><tr><th></th><th>id</th><th>name</th><th>policy</th><th>lru</th><th>seed</th>
        <th>status</th><th class="num">events</th><th class="num">cycles</th><th>sweep</th><th>tags</th></tr></thead><tbody>
        ${page.runs
          .map(
            (r) => `<tr data-run="${r.id}"><td><input type="checkbox" class="pick" value="${r.id}" aria-label="pick run ${r.id}"></td>
            <td><a href="#/run/${r.id}">${r.id}</a></td><td><a href="#/run/${r.id}">${esc(r.name)}</a></td><td>${esc(r.policy)}</td>
            <td>${esc(r.lru)}</td><td>${r.seed}</td><td>${esc(r.status)} ${errorLink(r)}</td><td class="num">${r.events.toLocaleString('en-US')}</td>
            <td class="num">${r.cycles}</td><td>${r.sweep ?? ''}</td><td>${tags(r.tags)}</td></tr>`,
          )
          .join('')}</tbody></table>
        <p class="muted">${page.matched} of ${page.total} runs</p>`;
      el.addEventListener('change', () => {
        compare.disabled = main.querySelectorAll('input.pick:checked').length < 2;
      });
    })
    .catch((e) => errorBox(main.querySelector('#runs'), e));
  get('/api/sweeps')
    .then((sweeps) => {
      main.querySelector('#sweeps').innerHTML = sweeps.length
        ? `<table><thead><tr><th>id</th><th>name</th><th class="num">runs</th><th>created</th><th>tags</th><th></th></tr></thead><tbody>
          ${sweeps
            .map(
              (s) => `<tr><td>${s.id}</td><td><a href="#/?sweep=${s.id}">${esc(s.name)}</a></td><td class="num">${s.runs}</td>
              <td>${esc(s.created.replace('T', ' ').slice(0, 19))}</td><td>${tags(s.tags)}</td>
              <td><a href="#/compare?sweep=${s.id}">compare</a></td></tr>`,
            )
            .join('')}</tbody></table>`
        : '<p class="muted">no sweeps</p>';
    })
    .catch((e) => errorBox(main.querySelector('#sweeps'), e));
}
