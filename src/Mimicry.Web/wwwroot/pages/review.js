import { el, fmt, untrusted, clear, put } from '../dom.js';
import { api, can, ids } from '../api.js';

/** log2 C(n, k): what keeping k of n chosen candidates costs (the server charges it; shown here before deciding). */
export function subsetBits(n, k) {
  let bits = 0;
  for (let i = 1; i <= k; i++) bits += Math.log2(n - k + i) - Math.log2(i);
  return bits;
}

/** One held day: why, its candidates side by side with every tripwire verdict, what the selection would keep, and the decision. */
export async function render(root, [id]) {
  const body = el('div', { id: 'review' });
  put(root, body);
  const draw = async () => {
    const r = await api(`/reviews/${ids(id)}`);
    const offered = r.candidates.filter(c => c.text !== null).length;
    const picks = new Set();
    const cost = el('p', { id: 'pick-cost', 'aria-live': 'polite' });
    const updateCost = () => {
      cost.textContent = picks.size === 0
        ? `Approving keeps the selection's choice (candidate ${r.chosen.join(', ')}): ${fmt.bits(r.selectionBits + r.rerollBits)}.`
        : `Keeping ${picks.size} of ${offered} chosen by you costs ${fmt.bits(subsetBits(offered, picks.size) + r.rerollBits)} instead.`;
    };
    const message = el('p', { class: 'error', role: 'alert', id: 'decision-error' });
    const decide = async (action, body) => {
      message.textContent = '';
      try {
        await api(`/reviews/${ids(r.id)}/${action}`, { method: 'POST', body });
        await draw();
      } catch (error) {
        message.textContent = error.message;
      }
    };
    put(clear(body), 
      el('h1', {}, `Review ${r.id}`),
      el('p', { 'data-testid': 'review-state' }, r.state === 'pending' ? 'Waiting for a decision.' : `${r.state} by ${r.decidedBy ?? '—'} at ${fmt.time(r.decidedAt)}${r.picks ? `, picking ${r.picks.join(', ')} (${fmt.bits(r.pickBits)})` : ''}.`),
      el('dl', { class: 'facts' },
        el('dt', {}, 'Loop'), el('dd', {}, el('a', { href: `#/loops/${encodeURIComponent(r.loop)}` }, r.loop), ` branch ${r.branch}, day ${r.day}, attempt ${r.attempt}`),
        el('dt', {}, 'Anchor'), el('dd', {}, fmt.time(r.anchor)),
        el('dt', {}, 'Held because'), el('dd', {}, el('ul', {}, r.reasons.map(x => el('li', {}, x)))),
        el('dt', {}, 'Selection'), el('dd', {}, `${r.selection}: would keep candidate ${r.chosen.join(', ')} (${fmt.bits(r.selectionBits)}${r.rerollBits > 0 ? ` + ${fmt.bits(r.rerollBits)} for re-rolls` : ''})`),
        r.shortlist ? el('dt', {}, 'Shortlist') : null,
        r.shortlist ? el('dd', { 'data-testid': 'shortlist' }, `The critic's top ${r.shortlist.length}, best first: candidates ${r.shortlist.join(', ')}. Pick among them; the others are shown for context.`) : null),
      el('div', { class: 'candidates' }, r.candidates.map(c => el('section', { class: `candidate${r.chosen.includes(c.slot) ? ' chosen' : ''}`, 'data-slot': c.slot },
        el('h2', {}, `Candidate ${c.slot}`, r.chosen.includes(c.slot) ? el('span', { class: 'badge' }, "selection's choice") : null,
          r.shortlist?.includes(c.slot) ? el('span', { class: 'badge' }, `critic's #${r.shortlist.indexOf(c.slot) + 1}`) : null),
        el('ul', { class: 'verdicts' }, c.verdicts.map(v => el('li', { class: v.tripped ? 'tripped' : 'clear' }, `${v.tripped ? '✖' : '✔'} ${v.detector}: ${v.detail}`))),
        c.text === null ? el('p', { class: 'muted' }, 'This session failed: no text.') : untrusted(c.text, `candidate ${c.slot}`),
        r.state === 'pending' && can('reviewer') && c.text !== null && (!r.shortlist || r.shortlist.includes(c.slot))
          ? el('label', { class: 'pick' }, el('input', { type: 'checkbox', name: 'pick', value: String(c.slot), id: `pick-${c.slot}`, on: { change: e => { if (e.target.checked) picks.add(c.slot); else picks.delete(c.slot); updateCost(); } } }), ` keep candidate ${c.slot}`)
          : null))),
      r.state === 'pending' && can('reviewer') ? el('div', { class: 'card decision' },
        cost,
        el('button', { type: 'button', id: 'approve', on: { click: () => decide('approve', { picks: picks.size === 0 ? null : [...picks].sort((a, b) => a - b) }) } }, 'Approve'),
        ' ',
        el('button', { type: 'button', id: 'reject', class: 'danger', on: { click: () => decide('reject') } }, 'Reject'),
        message) : null);
    updateCost();
  };
  await draw();
}
