import { el, fmt, untrusted, clear, put } from '../dom.js';
import { api, can, ids } from '../api.js';

/**
 * One probe. The researcher sees the situation the simulated researcher woke up to and writes their own answer
 * first; only then does the server show the simulated answer, which they rate 1-5.
 */
export async function render(root, [id]) {
  const body = el('div', { id: 'probe' });
  put(root, body);
  const draw = async () => {
    const p = await api(`/probes/${ids(id)}`);
    put(clear(body), 
      el('h1', {}, `Probe ${p.id}`),
      el('dl', { class: 'facts' },
        el('dt', {}, 'Date'), el('dd', {}, fmt.date(p.anchor)),
        el('dt', {}, 'Expires'), el('dd', {}, fmt.time(p.expires)),
        el('dt', {}, 'State'), el('dd', { 'data-testid': 'probe-state' }, p.state)),
      el('h2', {}, 'The question'), untrusted(p.question, 'question'),
      el('h2', {}, `Your notebook (${p.notebook.length} entries)`),
      p.notebook.length === 0 ? el('p', { class: 'muted' }, 'Empty: this is the first day.') : el('ol', { class: 'notebook' }, p.notebook.map(t => el('li', {}, untrusted(t, 'notebook entry')))),
      p.state === 'open' && can('researcher') ? answerForm(p, draw) : null,
      p.answer ? [el('h2', {}, 'Your answer'), untrusted(p.answer, 'your answer')] : null,
      p.simulated !== null && p.simulated !== undefined ? [el('h2', {}, 'What the simulated researcher wrote'), untrusted(p.simulated, 'simulated answer')] : null,
      p.state === 'answered' && can('researcher') ? rateForm(p, draw) : null,
      p.rating ? el('p', { 'data-testid': 'rating' }, `You rated it ${p.rating} of 5. Score ${p.score?.toFixed(3)}.`) : null);
  };
  await draw();
}

function answerForm(p, redraw) {
  const text = el('textarea', { id: 'answer', name: 'answer', rows: 8, required: true });
  const message = el('p', { class: 'error', role: 'alert' });
  const form = el('form', { class: 'card', on: { submit: async e => {
    e.preventDefault();
    message.textContent = '';
    try {
      await api(`/probes/${ids(p.id)}/answer`, { method: 'POST', body: { text: text.value } });
      await redraw();
    } catch (error) {
      message.textContent = error.message;
    }
  } } },
    el('h2', {}, 'Your answer'),
    el('label', { for: 'answer' }, `What would you write in your notebook on ${fmt.date(p.anchor)}? You see the simulated answer only after submitting yours.`),
    text, el('button', { type: 'submit', id: 'submit-answer' }, 'Submit my answer'), message);
  queueMicrotask(() => text.focus());
  return form;
}

function rateForm(p, redraw) {
  const message = el('p', { class: 'error', role: 'alert' });
  const options = [1, 2, 3, 4, 5].map(n => el('label', { class: 'rate' },
    el('input', { type: 'radio', name: 'rating', value: String(n), id: `rate-${n}`, required: true }), ` ${n}`));
  return el('form', { class: 'card', on: { submit: async e => {
    e.preventDefault();
    const chosen = e.target.querySelector('input[name=rating]:checked');
    try {
      await api(`/probes/${ids(p.id)}/rate`, { method: 'POST', body: { score: Number(chosen.value) } });
      await redraw();
    } catch (error) {
      message.textContent = error.message;
    }
  } } },
    el('fieldset', {}, el('legend', {}, 'How much is that what you would have written? 1 = not at all, 5 = exactly'), options),
    el('button', { type: 'submit', id: 'submit-rating' }, 'Rate'), message);
}
