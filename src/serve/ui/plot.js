// Plots: the Vega-Lite specs the server builds with the report's chart helpers, rendered here by
// the same Vega-Lite and Vega (served from the installed packages), with the scrubber's cursor.
/* global vega, vegaLite */

/** A rule at x = the `cursor` signal: moving the scrubber moves it without redrawing the curve. */
function withCursor(spec, cursor) {
  return {
    ...spec,
    width: 270,
    height: 90,
    params: [{ name: 'cursor', value: cursor }],
    layer: [
      // one run: its policy is in the page's head and the title names the metric, so no legend
      ...spec.layer.map((l) =>
        l.encoding?.color ? { ...l, encoding: { ...l.encoding, color: { ...l.encoding.color, legend: null } } } : l,
      ),
      {
        data: { values: [{}] },
        transform: [{ calculate: 'cursor', as: 'at' }],
        mark: { type: 'rule', color: '#d62728', strokeWidth: 1.5 },
        encoding: { x: { field: 'at', type: 'quantitative' } },
      },
    ],
  };
}

/** Render one chart into `el`; returns the view (set its cursor with setCursor). */
export async function renderChart(el, spec, cursor) {
  const compiled = vegaLite.compile(withCursor(spec, cursor)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'svg', container: el, hover: false });
  await view.runAsync();
  return view;
}

export async function setCursor(view, cursor) {
  await view.signal('cursor', cursor).runAsync();
}
