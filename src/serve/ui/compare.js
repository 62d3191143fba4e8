// Compare: the table `memcglab compare --runs` prints, and the report's plots for the same runs.
import { errorBox, esc, get, qs } from './api.js';

const num = (v) =>
  v === null || v === undefined
    ? '-'
    : typeof v === 'number'
      ? Number.isInteger(v)
        ? v.toLocaleString('en-US')
        : v.toPrecision(4)
      : esc(v);

function statsTable(s) {
  const policies = s.groups.map((g) => g.policy);
  const head = `<tr><th>metric</th>${policies.map((p) => `<th class="num">${esc(p)}</th>`).join('')}</tr>`;
  const rows = s.metrics
    .map(
      ({ metric, byPolicy }) =>
        `<tr><td>${esc(metric)}</td>${policies
          .map((p) => {
            const m = byPolicy[p];
            const ci = m.ci95 === null ? '' : ` ± ${num(m.ci95)}`;
            const ratio =
              m.ratio === null || p === s.baseline ? '' : ` <span class="muted">×${m.ratio.toFixed(2)}${m.withinNoise ? ' ~' : ''}</span>`;
            return `<td class="num">${num(m.mean)}${ci}${ratio}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('');
  return `<table class="compare"><thead>${head}</thead><tbody>${rows}</tbody></table><p class="muted">${esc(s.legend)}</p>`;
}

export function showCompare(main, params) {
  const q = { runs: params.get('runs') ?? undefined, sweep: params.get('sweep') ?? undefined, force: params.get('force') ?? undefined };
  main.innerHTML = `<h1>Compare ${q.runs ? `runs ${esc(q.runs)}` : `sweep ${esc(q.sweep)}`}</h1><div id="table"><p class="muted">loading…</p></div>
    <h2>The report's plots</h2><iframe id="report" title="report" src="/api/report${qs(q)}"></iframe>`;
  get(`/api/compare${qs(q)}`)
    .then((c) => {
      const runs = c.runs.map((r) => `<a href="#/run/${r.id}">run ${r.id}</a>: ${esc(r.policy)}, seed ${r.seed}`).join(' · ');
      const table = c.table
        ? `<table class="compare"><thead><tr>${c.table.headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${c.table.rows
            .map((r) => `<tr>${r.map((v, i) => (i ? `<td class="num">${num(v)}</td>` : `<td>${esc(v)}</td>`)).join('')}</tr>`)
            .join('')}</tbody></table>`
        : statsTable(c.stats);
      main.querySelector('#table').innerHTML = `<p>${runs}</p>${table}`;
    })
    .catch((e) => {
      errorBox(main.querySelector('#table'), e);
      main.querySelector('#report').remove();
    });
}
