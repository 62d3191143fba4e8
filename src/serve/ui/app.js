// The page's router: the address's hash says what is shown (#/, #/run/<id>?seq=<n>, #/compare?runs=1,2),
// so a position in a run can be linked to, bookmarked and opened from verify's output.
import { errorBox } from './api.js';
import { showCompare } from './compare.js';
import { showRuns } from './runs.js';
import { showTimeline } from './timeline.js';

const main = document.getElementById('main');
let current;

function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  const params = new URLSearchParams(query);
  const run = /^\/run\/(\d+)$/.exec(path);
  if (run && current?.runId === Number(run[1])) return current.goto(params); // a move inside the timeline
  current?.leave?.();
  current = undefined;
  try {
    if (run) current = showTimeline(main, Number(run[1]), params);
    else if (path === '/compare') showCompare(main, params);
    else showRuns(main, params);
  } catch (e) {
    errorBox(main, e);
  }
}

window.addEventListener('hashchange', route);
route();
