import { el, fmt, clear, put } from '../dom.js';
import { api, current } from '../api.js';

/** The researcher's inbox: their open probes first (a researcher sees only their own; the server decides that). */
export async function render(root) {
  const list = el('div', { id: 'inbox' });
  const mine = current().roles.includes('researcher');
  put(root, el('h1', {}, mine ? 'My probes' : 'Probes'), list);
  const probes = await api('/probes');
  const now = Date.now();
  const open = probes.filter(p => p.state === 'open' && Date.parse(p.expires) > now);
  const done = probes.filter(p => !open.includes(p));
  put(clear(list), 
    el('h2', {}, `Waiting for an answer (${open.length})`),
    open.length === 0 ? el('p', { class: 'muted' }, 'Nothing waits for you.') : el('ul', { class: 'cards' }, open.map(p => card(p, now))),
    el('h2', {}, `Answered or expired (${done.length})`),
    done.length === 0 ? null : el('ul', { class: 'cards' }, done.map(p => card(p, now))));
}

function card(p, now) {
  const left = Date.parse(p.expires) - now;
  return el('li', { class: 'card', 'data-probe': p.id },
    el('a', { href: `#/probes/${encodeURIComponent(p.id)}` }, `${fmt.date(p.anchor)} · loop ${p.loop}, day ${p.day}`),
    el('p', { class: 'question' }, p.question),
    el('p', { class: 'muted small' }, p.state === 'open' && left > 0 ? `expires in ${Math.max(1, Math.round(left / 3600000))} h (${fmt.time(p.expires)})` : p.state));
}
