import { el, fmt, untrusted, put, clear } from '../dom.js';
import { api, can, ApiError } from '../api.js';

/**
 * Read mode: one branch's notebook as a session saw it on a day (every entry before that day, through forks), each
 * entry with its provenance, the bits charged, and the review that released its day; "fork from here" for operators.
 */
export async function render(root, [name, branchText, dayText]) {
  const branch = Number(branchText);
  const upTo = dayText === undefined ? undefined : Number(dayText);
  const loop = await api(`/loops/${encodeURIComponent(name)}`);
  // The model that wrote this loop's entries (a fork's inherited days were written under its parent's spec).
  const spec = await api(`/loops/${encodeURIComponent(name)}/spec`);
  loop.model = spec?.simulator?.openAi?.model ?? null;
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
      upTo === undefined ? null : [' · ', el('a', { href: `#/loops/${encodeURIComponent(name)}/branches/${branch}` }, 'All days')],
      ' · ', exportButton(name, branch)),
    el('ol', { class: 'days', id: 'notebook' }, days.map(d => day(name, branch, d, loop))));
}

function day(name, branch, d, loop) {
  const inherited = d.loop && d.loop !== name;
  return el('li', { class: 'day', 'data-day': d.day },
    el('h2', {}, `Day ${d.day}`, el('span', { class: 'muted' }, ` · anchor ${fmt.time(d.anchor)} · ${d.selection.startsWith('digest') ? d.selection : `${d.selection} of ${d.candidates}`} · ${fmt.bits(d.bits)}${inherited ? ` · from ${d.loop} branch ${d.branch}` : ''}`)),
    el('p', {}, el('a', { href: `#/loops/${encodeURIComponent(name)}/branches/${branch}/days/${d.day}` }, `Read as day ${d.day + 1} saw it`),
      can('operator') && !inherited ? [' · ', forkButton(name, branch, d.day)] : null),
    d.review ? el('p', { class: 'review-line' }, `Released by review ${d.review.id}: ${d.review.decidedBy} at ${fmt.time(d.review.decidedAt)}${d.review.picks ? `, picking ${d.review.picks.join(', ')} (${fmt.bits(d.review.pickBits)})` : ''}; held because ${d.review.reasons.join('; ')}`) : null,
    d.entries.map(e => el('article', { class: 'entry' },
      el('p', { class: 'provenance' }, `entry ${e.seq + 1} · session ${e.sessionId} · seed ${e.seed} · ${e.simulator}${loop.model && !inherited ? ` model ${loop.model}` : ''}${e.inputTokens + e.outputTokens > 0 ? ` · ${e.inputTokens}+${e.outputTokens} tokens${e.cachedInputTokens > 0 ? `, ${e.cachedInputTokens} cached` : ''}` : ''} · sha256 ${e.hash.slice(0, 16)}…`),
      verdicts(d.review, e.slot),
      untrusted(e.text, `entry ${e.seq + 1} of day ${d.day}`))));
}

/** The tripwire verdicts on an entry, where its day was held for review (the review kept them per candidate). */
function verdicts(review, slot) {
  const candidate = review?.candidates?.find(c => c.slot === slot);
  if (!candidate || candidate.verdicts.length === 0) return null;
  return el('ul', { class: 'verdicts' }, candidate.verdicts.map(v => el('li', { class: v.tripped ? 'tripped' : 'clear' }, `${v.tripped ? '✖' : '✔'} ${v.detector}: ${v.detail}`)));
}

/** The branch's whole ancestry as Markdown (model text fenced), downloaded from the API's export. */
function exportButton(name, branch) {
  return el('button', { type: 'button', class: 'link', id: 'export', on: { click: async () => {
    const response = await fetch(`/api/v1/loops/${encodeURIComponent(name)}/notebook?format=md&branch=${branch}`, { credentials: 'same-origin' });
    const blob = new Blob([await response.text()], { type: 'text/markdown' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob); // made here, never from model text
    link.download = `${name}-branch-${branch}.md`;
    link.click();
    URL.revokeObjectURL(link.href);
  } } }, 'Export (Markdown)');
}

function forkButton(name, branch, day) {
  // Forking is more selection: the server says what it would charge (a dry run) before the operator confirms.
  const message = el('span', { class: 'error', role: 'alert' });
  const panel = el('span', { class: 'fork-confirm' });
  const body = { branch, fromDay: day };
  const confirm = async () => {
    try {
      const fork = await api(`/loops/${encodeURIComponent(name)}/forks`, { method: 'POST', body });
      window.location.hash = `#/loops/${encodeURIComponent(fork.loop)}`;
    } catch (error) {
      message.textContent = error instanceof ApiError ? error.message : String(error);
    }
  };
  const ask = async () => {
    message.textContent = '';
    clear(panel);
    try {
      const preview = await api(`/loops/${encodeURIComponent(name)}/forks?dryRun=true`, { method: 'POST', body });
      put(panel, ` Fork branch ${branch} after day ${day} as ${preview.loop}: charged ${fmt.bits(preview.forkBits)}. `,
        el('button', { type: 'button', class: 'confirm-fork', on: { click: confirm } }, 'Confirm fork'),
        el('button', { type: 'button', class: 'link', on: { click: () => clear(panel) } }, 'Cancel'));
    } catch (error) {
      message.textContent = error instanceof ApiError ? error.message : String(error);
    }
  };
  return el('span', {}, el('button', { type: 'button', class: 'link', 'data-fork-day': day, on: { click: ask } }, 'Fork from here'), panel, message);
}
