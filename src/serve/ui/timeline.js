// A run's timeline: the metric curves over cycles with a scrubber; each position is replayed by the
// server (GET /api/runs/<id>/tree) and the tree, the chosen cgroup and the events there follow it.
import { errorBox, esc, get, qs } from './api.js';
import { showEvents } from './events.js';
import { renderChart, setCursor } from './plot.js';
import { renderCgroup, renderTree } from './tree.js';

/** The point an address names: seq, cycle or tick (none: the end of the log). */
function targetOf(params) {
  for (const k of ['seq', 'cycle', 'tick']) if (/^\d+$/.test(params.get(k) ?? '')) return { [k]: Number(params.get(k)) };
  return {};
}

export function showTimeline(main, runId, params) {
  main.innerHTML = `
    <div id="timeline" data-ready="0">
      <h1 id="title">run ${runId}</h1>
      <p id="about" class="muted"></p>
      <div id="charts" class="charts"></div>
      <div class="scrub">
        <button id="prev" title="one step back">◀</button>
        <input id="scrubber" type="range" min="1" max="1" value="1" aria-label="position in the run">
        <button id="next" title="one step on">▶</button>
        <form id="goto"><label>seq <input id="seqbox" type="number" min="0"></label> <button>go</button></form>
      </div>
      <p id="pos" class="pos"></p>
      <div class="cols">
        <section><h2>cgroups</h2><div id="tree"></div></section>
        <section><h2 id="cgtitle">cgroup</h2><div id="cgroup"></div></section>
      </div>
      <section><h2>events around this point</h2><div id="events"></div></section>
    </div>`;
  const root = main.querySelector('#timeline');
  const scrubber = main.querySelector('#scrubber');
  const t = { runId, memcg: Number(params.get('memcg')) || undefined, seq: undefined, views: [], byCycles: true, cycle: 0 };
  let want = targetOf(params);
  let busy = false;
  let left = false;

  async function pump() {
    if (busy || !want || left) return;
    const target = want;
    want = undefined;
    busy = true;
    root.dataset.ready = '0';
    try {
      const tree = await get(`/api/runs/${runId}/tree${qs(target)}`);
      if (left) return;
      t.seq = tree.seq;
      t.cycle = tree.cycle;
      if (t.memcg === undefined || !tree.tree.some((m) => m.id === t.memcg)) t.memcg ??= tree.tree[1]?.id ?? tree.tree[0]?.id;
      showPosition(tree);
      renderTree(main.querySelector('#tree'), tree, t.memcg, (id) => select(id));
      if (!want) await Promise.all([detail(), showEvents(main.querySelector('#events'), runId, tree.seq, eventHooks)]);
    } catch (e) {
      errorBox(main.querySelector('#pos'), e);
    } finally {
      busy = false;
    }
    if (want) return pump();
    root.dataset.seq = String(t.seq);
    root.dataset.ready = '1';
  }

  function showPosition(tree) {
    main.querySelector('#pos').innerHTML =
      `seq <b id="at-seq">${tree.seq.toLocaleString('en-US')}</b> of ${tree.endSeq.toLocaleString('en-US')} · tick ${tree.tick} · ` +
      `after cycle <b>${tree.cycle}</b> · nr_dying_descendants <b>${tree.nr_dying}</b> · ${tree.freed.count} freed`;
    main.querySelector('#seqbox').value = String(tree.seq);
    if (document.activeElement !== scrubber) scrubber.value = String(t.byCycles ? Math.max(1, tree.cycle) : tree.seq);
    const hash = `#/run/${runId}?seq=${tree.seq}${t.memcg ? `&memcg=${t.memcg}` : ''}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
    for (const v of t.views) setCursor(v, tree.cycle);
  }

  async function detail() {
    if (t.memcg === undefined) return;
    const c = await get(`/api/runs/${runId}/cgroups/${t.memcg}${qs({ seq: t.seq })}`);
    main.querySelector('#cgtitle').textContent = `${c.path} (memcg ${c.memcg}, ${c.state})`;
    renderCgroup(main.querySelector('#cgroup'), c, runId);
  }

  function select(id) {
    t.memcg = id;
    history.replaceState(null, '', `#/run/${runId}?seq=${t.seq}&memcg=${id}`);
    for (const tr of main.querySelectorAll('#tree tr[data-memcg]')) tr.classList.toggle('selected', Number(tr.dataset.memcg) === id);
    detail().catch((e) => errorBox(main.querySelector('#cgroup'), e));
  }

  const eventHooks = { goto: (seq) => move({ seq }), select };

  function move(target) {
    want = target;
    pump();
  }

  scrubber.addEventListener('input', () => move(t.byCycles ? { cycle: Number(scrubber.value) } : { seq: Number(scrubber.value) }));
  const step = (d) => () => move(t.byCycles ? { cycle: Math.max(1, t.cycle + d) } : { seq: Math.max(0, t.seq + d) });
  main.querySelector('#prev').addEventListener('click', step(-1));
  main.querySelector('#next').addEventListener('click', step(1));
  main.querySelector('#goto').addEventListener('submit', (ev) => {
    ev.preventDefault();
    move({ seq: Number(main.querySelector('#seqbox').value) });
  });

  get(`/api/runs/${runId}`)
    .then(async (run) => {
      main.querySelector('#title').textContent = `run ${run.id}: ${run.name}`;
      main.querySelector('#about').innerHTML =
        `${esc(run.policy)}, ${esc(run.lru)} LRU, seed ${run.seed}, ${esc(run.status)}; ${run.events.toLocaleString('en-US')} events in ${run.cycles} cycles` +
        Object.entries(run.tags)
          .map(([k, v]) => ` <span class="tag">${esc(k)}=${esc(v)}</span>`)
          .join('');
      t.byCycles = run.cycles > 0;
      scrubber.max = String(t.byCycles ? run.cycles : run.endSeq);
      scrubber.min = t.byCycles ? '1' : '0';
      const { charts } = await get(`/api/runs/${runId}/charts`);
      const box = main.querySelector('#charts');
      for (const c of charts) {
        const fig = document.createElement('figure');
        fig.className = 'plot';
        fig.id = c.id;
        fig.innerHTML = `<figcaption>${esc(c.title)}</figcaption><div></div>`;
        box.append(fig);
        t.views.push(await renderChart(fig.lastChild, c.spec, t.cycle));
      }
    })
    .catch((e) => errorBox(main.querySelector('#about'), e));
  pump();

  return {
    runId,
    goto(p) {
      if (p.get('memcg')) t.memcg = Number(p.get('memcg'));
      const target = targetOf(p);
      if (target.seq !== t.seq) move(target);
    },
    leave() {
      left = true;
      for (const v of t.views) v.finalize();
    },
  };
}
