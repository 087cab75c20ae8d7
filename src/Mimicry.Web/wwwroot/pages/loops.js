import { el, fmt, gauge, clear, put } from '../dom.js';
import { api } from '../api.js';

/** Every loop at a glance; refreshed every 3 s while shown. */
export async function render(root) {
  const body = el('div', { id: 'loops' });
  put(root, el('h1', {}, 'Loops'), body);
  const draw = async () => {
    const loops = await api('/loops');
    put(clear(body), loops.length === 0
      ? el('p', { class: 'muted' }, 'No loops yet: submit one with mimicry submit or mimicry run.')
      : el('table', { class: 'grid' },
        el('thead', {}, el('tr', {}, ['Loop', 'State', 'Days', 'Bits', 'Tokens · cost', 'Reviews waiting', 'Drift'].map(h => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, loops.map(row))));
  };
  await draw();
  const timer = setInterval(() => draw().catch(() => {}), 3000);
  return () => clearInterval(timer);
}

export function row(l) {
  return el('tr', { 'data-loop': l.loop },
    el('td', {}, el('a', { href: `#/loops/${encodeURIComponent(l.loop)}` }, l.loop), l.forkedFrom ? el('span', { class: 'muted' }, ` fork of ${l.forkedFrom.loop}`) : null),
    el('td', {}, el('span', { class: `state state-${l.state}` }, l.status), l.reason ? el('div', { class: 'muted small' }, l.reason) : null),
    el('td', {}, gauge(l.days, l.daysPlanned, `${fmt.int(l.days)} / ${fmt.int(l.daysPlanned)}`)),
    el('td', {}, l.maxBits > 0 ? gauge(l.bitsSpent, l.maxBits, `${fmt.bits(l.bitsSpent)} of ${fmt.bits(l.maxBits)}`) : fmt.bits(l.bitsSpent)),
    el('td', {}, l.inputTokens + l.outputTokens > 0
      ? [l.maxTokens > 0 ? gauge(l.inputTokens + l.outputTokens, l.maxTokens, `${fmt.int(l.inputTokens + l.outputTokens)} of ${fmt.int(l.maxTokens)} tokens`) : `${fmt.int(l.inputTokens + l.outputTokens)} tokens`,
        ' · ', l.maxCost > 0 ? gauge(l.cost, l.maxCost, `${fmt.money(l.cost, l.currency)} of ${fmt.money(l.maxCost, l.currency)}`) : fmt.money(l.cost, l.currency)]
      : '—'),
    el('td', {}, l.awaitingReview > 0 ? el('a', { href: '#/reviews' }, `${l.awaitingReview} waiting`) : '0'),
    el('td', {}, l.calibration ? l.calibration.drift : '—'));
}
