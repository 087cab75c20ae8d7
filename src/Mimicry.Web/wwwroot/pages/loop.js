import { el, fmt, gauge, clear, put } from '../dom.js';
import { api, can } from '../api.js';
import { chart } from '../chart.js';

/** One loop: live status (SSE), its branches, the probe-score chart with the drift statistic, and the actions the caller's role allows. */
export async function render(root, [name]) {
  const head = el('div', { id: 'loop-status' });
  const actions = el('div', { class: 'actions' });
  const branches = el('section', { id: 'branches' });
  const calibration = el('section', { id: 'calibration' });
  put(root, 
    el('h1', {}, 'Loop ', el('span', { class: 'name' }, name)),
    el('p', {}, el('a', { href: `#/loops/${encodeURIComponent(name)}/timeline` }, 'Timeline'), ' · ', el('a', { href: `#/loops/${encodeURIComponent(name)}/branches/0` }, 'Read branch 0')),
    head, actions, calibration, branches);

  const show = view => {
    put(clear(head), el('dl', { class: 'facts' },
      fact('State', el('span', { class: `state state-${view.state}`, 'data-testid': 'loop-state' }, view.status)),
      view.reason ? fact('Why', view.reason) : null,
      fact('Days', gauge(view.days, view.daysPlanned, `${fmt.int(view.days)} of ${fmt.int(view.daysPlanned)} (branches ${view.minDaysDone}–${view.maxDaysDone} days)`)),
      fact('Branches', `${view.branchesFinished} of ${view.branches} finished`),
      fact('Bits', view.maxBits > 0 ? gauge(view.bitsSpent, view.maxBits, `${fmt.bits(view.bitsSpent)} of ${fmt.bits(view.maxBits)}`) : fmt.bits(view.bitsSpent)),
      fact('Sessions', fmt.int(view.sessions)),
      view.inputTokens + view.outputTokens > 0 ? fact('Tokens · cost', `${fmt.int(view.inputTokens)} in${view.cachedInputTokens > 0 ? ` (${fmt.int(view.cachedInputTokens)} cached)` : ''} + ${fmt.int(view.outputTokens)} out · ${fmt.money(view.cost, view.currency)}${view.maxCost > 0 ? ` of ${fmt.money(view.maxCost, view.currency)}` : ''}`) : null,
      fact('Reviews waiting', view.awaitingReview > 0 ? el('a', { href: '#/reviews' }, String(view.awaitingReview)) : '0'),
      view.forkedFrom ? fact('Forked from', el('a', { href: `#/loops/${encodeURIComponent(view.forkedFrom.loop)}` }, view.forkedFrom.loop), ` branch ${view.forkedFrom.branch} after day ${view.forkedFrom.day} (${fmt.bits(view.forkedFrom.bits)})`) : null));
    clear(actions);
    if (can('operator')) {
      if (view.state === 'running' || view.state === 'paused') put(actions, button('Cancel', 'cancel', async () => api(`/loops/${encodeURIComponent(name)}/cancel`, { method: 'POST', body: { reason: 'cancelled in the web UI' } })));
      if (view.state === 'paused') put(actions, button('Resume', 'resume', async () => api(`/loops/${encodeURIComponent(name)}/resume`, { method: 'POST' })));
    }
  };

  show(await api(`/loops/${encodeURIComponent(name)}`));
  await drawBranches(branches, name);
  await drawCalibration(calibration, name);

  // Live progress: the server sends the loop's state now and at each change.
  const events = new EventSource(`/api/v1/loops/${encodeURIComponent(name)}/events`);
  events.addEventListener('status', e => show(JSON.parse(e.data)));
  events.addEventListener('end', () => events.close());
  const timer = setInterval(() => { drawBranches(branches, name).catch(() => {}); drawCalibration(calibration, name).catch(() => {}); }, 5000);
  return () => { events.close(); clearInterval(timer); };
}

function fact(term, ...value) {
  return [el('dt', {}, term), el('dd', {}, value)];
}

function button(text, id, action) {
  const message = el('span', { class: 'error', role: 'alert' });
  return el('span', {}, el('button', { type: 'button', id, on: { click: async () => {
    message.textContent = '';
    try { await action(); } catch (error) { message.textContent = error.message; }
  } } }, text), message);
}

async function drawBranches(section, name) {
  const branches = await api(`/loops/${encodeURIComponent(name)}/branches`);
  const shown = branches.branches.slice(0, 200);
  put(clear(section), el('h2', {}, 'Branches'),
    el('table', { class: 'grid compact' },
      el('thead', {}, el('tr', {}, ['Branch', 'Days', 'State'].map(h => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, shown.map(b => el('tr', {},
        el('td', {}, el('a', { href: `#/loops/${encodeURIComponent(name)}/branches/${b.branch}` }, String(b.branch))),
        el('td', {}, gauge(b.days, branches.daysPerBranch, `${b.days} / ${branches.daysPerBranch}`)),
        el('td', {}, b.state, b.reason ? el('span', { class: 'muted small' }, ` ${b.reason}`) : null))))),
    branches.branches.length > shown.length ? el('p', { class: 'muted' }, `… and ${branches.branches.length - shown.length} more (see the timeline)`) : null);
}

async function drawCalibration(section, name) {
  const c = await api(`/loops/${encodeURIComponent(name)}/calibration`);
  clear(section);
  if (!c.enabled) return;
  put(section, el('h2', {}, 'Calibration'),
    el('p', { 'data-testid': 'drift' }, `Drift test: ${c.state} · ${c.points.length} scored probes · threshold ${c.threshold}`),
    chart(c));
}
