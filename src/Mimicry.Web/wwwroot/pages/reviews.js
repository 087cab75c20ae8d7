import { el, fmt, clear, put } from '../dom.js';
import { api } from '../api.js';

/** The review desk: every held day waiting for a person, oldest first. */
export async function render(root) {
  const list = el('div', { id: 'reviews' });
  put(root, el('h1', {}, 'Review desk'), list);
  const draw = async () => {
    const reviews = await api('/reviews');
    put(clear(list), reviews.length === 0
      ? el('p', { class: 'muted' }, 'No held days wait for review.')
      : el('table', { class: 'grid' },
        el('thead', {}, el('tr', {}, ['Review', 'Loop', 'Day', 'Held because', 'Candidates', 'Since'].map(h => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, reviews.map(r => el('tr', { 'data-review': r.id },
          el('td', {}, el('a', { href: `#/reviews/${encodeURIComponent(r.id)}` }, r.id)),
          el('td', {}, r.loop),
          el('td', {}, `branch ${r.branch}, day ${r.day}${r.attempt > 1 ? ` (attempt ${r.attempt})` : ''}`),
          el('td', {}, r.reasons.join('; ')),
          el('td', {}, String(r.candidates.length)),
          el('td', {}, fmt.time(r.created)))))));
  };
  await draw();
  const timer = setInterval(() => draw().catch(() => {}), 5000);
  return () => clearInterval(timer);
}
