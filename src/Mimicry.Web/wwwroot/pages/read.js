import { el, fmt, untrusted, put } from '../dom.js';
import { api, can, ApiError } from '../api.js';

/**
 * Read mode: one branch's notebook as a session saw it on a day (every entry before that day, through forks), each
 * entry with its provenance, the bits charged, and the review that released its day; "fork from here" for operators.
 */
export async function render(root, [name, branchText, dayText]) {
  const branch = Number(branchText);
  const upTo = dayText === undefined ? undefined : Number(dayText);
  const loop = await api(`/loops/${encodeURIComponent(name)}`);
  const days = [];
  for (let from = 1; from !== null && from !== undefined && (upTo === undefined || from <= upTo);) {
    const page = await api(`/loops/${encodeURIComponent(name)}/branches/${branch}/notebook?fromDay=${from}&limit=1000`);
    days.push(...page.days.filter(d => upTo === undefined || d.day <= upTo));
    from = page.nextFromDay;
  }
  put(root, 
    el('h1', {}, `Loop ${name} · branch ${branch}`),
    el('p', { class: 'muted' }, upTo === undefined
      ? `Every committed day (${days.length} of ${loop.daysPerBranch}). Choose a day to read the notebook as that day's sessions saw it.`
      : `The notebook as the sessions of day ${upTo + 1} saw it: days 1 to ${upTo}.`),
    el('p', {}, el('a', { href: `#/loops/${encodeURIComponent(name)}/timeline` }, 'Timeline'), ' · ',
      el('a', { href: `#/loops/${encodeURIComponent(name)}` }, 'Loop'),
      upTo === undefined ? null : [' · ', el('a', { href: `#/loops/${encodeURIComponent(name)}/branches/${branch}` }, 'All days')]),
    el('ol', { class: 'days', id: 'notebook' }, days.map(d => day(name, branch, d, loop))));
}

function day(name, branch, d, loop) {
  const inherited = d.loop && d.loop !== name;
  return el('li', { class: 'day', 'data-day': d.day },
    el('h2', {}, `Day ${d.day}`, el('span', { class: 'muted' }, ` · anchor ${fmt.time(d.anchor)} · ${d.selection} of ${d.candidates} · ${fmt.bits(d.bits)}${inherited ? ` · from ${d.loop} branch ${d.branch}` : ''}`)),
    el('p', {}, el('a', { href: `#/loops/${encodeURIComponent(name)}/branches/${branch}/days/${d.day}` }, `Read as day ${d.day + 1} saw it`),
      can('operator') && !inherited ? [' · ', forkButton(name, branch, d.day, loop)] : null),
    d.review ? el('p', { class: 'review-line' }, `Released by review ${d.review.id}: ${d.review.decidedBy} at ${fmt.time(d.review.decidedAt)}${d.review.picks ? `, picking ${d.review.picks.join(', ')} (${fmt.bits(d.review.pickBits)})` : ''}; held because ${d.review.reasons.join('; ')}`) : null,
    d.entries.map(e => el('article', { class: 'entry' },
      el('p', { class: 'provenance' }, `entry ${e.seq + 1} · session ${e.sessionId} · seed ${e.seed} · ${e.simulator}${e.inputTokens + e.outputTokens > 0 ? ` · ${e.inputTokens}+${e.outputTokens} tokens` : ''} · sha256 ${e.hash.slice(0, 16)}…`),
      untrusted(e.text, `entry ${e.seq + 1} of day ${d.day}`))));
}

function forkButton(name, branch, day, loop) {
  const message = el('span', { class: 'error', role: 'alert' });
  const wrap = el('span', {}, el('button', { type: 'button', class: 'link', 'data-fork-day': day, on: { click: async () => {
    // Forking is more selection: say what it costs before asking.
    const sure = window.confirm(`Fork branch ${branch} of ${name} after day ${day}? The fork shares days 1-${day}; choosing this point among the branch's ${loop.daysPerBranch} days is charged in bits (the server prints the exact charge).`);
    if (!sure) return;
    try {
      const fork = await api(`/loops/${encodeURIComponent(name)}/forks`, { method: 'POST', body: { branch, fromDay: day } });
      window.location.hash = `#/loops/${encodeURIComponent(fork.loop)}`;
    } catch (error) {
      message.textContent = error instanceof ApiError ? error.message : String(error);
    }
  } } }, 'Fork from here'), message);
  return wrap;
}
