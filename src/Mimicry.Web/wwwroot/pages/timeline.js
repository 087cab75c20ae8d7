import { el, clear, put } from '../dom.js';
import { api } from '../api.js';

const ROW = 22;

/**
 * The Loom-style timeline: every branch of the loop as a bar over its days, and every fork made from it (and from
 * those forks) as a bar of its own under the branch it came from, starting after its fork point, the shared prefix
 * drawn hatched. Rows are virtualized: only those in view exist in the page, so a loop of thousands of branches
 * draws as fast as one of ten. Click a bar to read that branch as a day's sessions saw it.
 */
export async function render(root, [name]) {
  const [loops, branches] = await Promise.all([api('/loops'), api(`/loops/${encodeURIComponent(name)}/branches`)]);
  const rows = await buildRows(name, loops, branches);
  const maxDays = Math.max(1, ...rows.map(r => r.planned));
  const forks = rows.filter(r => r.fork).length;
  const viewport = el('div', { class: 'timeline', id: 'timeline', tabindex: 0, role: 'list', 'aria-label': `Branches of ${name} over simulated days` });
  const spacer = el('div', { class: 'timeline-spacer' });
  spacer.style.height = `${rows.length * ROW}px`;
  put(viewport, spacer);
  put(root, 
    el('h1', {}, `Timeline of ${name}`),
    el('p', { class: 'muted', id: 'timeline-summary' }, `${branches.branches.length} branches, ${forks} fork${forks === 1 ? '' : 's'} · up to ${maxDays} days · a hatched bar is a fork's shared prefix; ◆ marks a fork point. Click a bar to read that branch as a day's sessions saw it.`),
    el('p', {}, el('a', { href: `#/loops/${encodeURIComponent(name)}` }, 'Loop')),
    viewport);

  let drawn = [-1, -1];
  const draw = () => {
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW) - 10);
    const last = Math.min(rows.length, Math.ceil((viewport.scrollTop + viewport.clientHeight) / ROW) + 10);
    if (first === drawn[0] && last === drawn[1]) return;
    drawn = [first, last];
    clear(spacer);
    for (let i = first; i < last; i++) put(spacer, rowNode(rows[i], i, maxDays));
  };
  viewport.addEventListener('scroll', () => requestAnimationFrame(draw));
  requestAnimationFrame(draw);
  draw();
}

async function buildRows(name, loops, branches) {
  // Forks of this loop and of its forks, by the loop and branch they came from.
  const children = new Map();
  for (const l of loops) {
    if (!l.forkedFrom) continue;
    const key = `${l.forkedFrom.loop}/${l.forkedFrom.branch}`;
    if (!children.has(key)) children.set(key, []);
    children.get(key).push(l);
  }
  const rows = [];
  const add = async (loopName, branchList, planned, depth, fork) => {
    for (const b of branchList) {
      const key = `${loopName}/${b.branch}`;
      const kids = children.get(key) ?? [];
      rows.push({ loop: loopName, branch: b.branch, days: b.days + (fork ? fork.day : 0), start: fork ? fork.day : 0, planned, depth, fork, state: b.state, forkPoints: kids.map(k => k.forkedFrom.day) });
      for (const kid of kids) {
        const kidBranches = await api(`/loops/${encodeURIComponent(kid.loop)}/branches`);
        await add(kid.loop, kidBranches.branches, kid.daysPerBranch, depth + 1, kid.forkedFrom);
      }
    }
  };
  await add(name, branches.branches, branches.daysPerBranch, 0, null);
  return rows;
}

function rowNode(r, index, maxDays) {
  const pct = d => `${(100 * d) / maxDays}%`;
  const label = el('a', { class: 'tl-label', href: `#/loops/${encodeURIComponent(r.loop)}/branches/${r.branch}` },
    `${'  '.repeat(r.depth)}${r.fork ? '↳ ' : ''}${r.loop} · ${r.branch}`);
  const track = el('div', { class: 'tl-track' });
  if (r.start > 0) {
    const shared = el('div', { class: 'tl-shared', title: `days 1-${r.start} shared with ${r.fork.loop} branch ${r.fork.branch}` });
    shared.style.left = '0';
    shared.style.width = pct(r.start);
    put(track, shared);
  }
  const bar = el('div', { class: `tl-bar tl-${r.state}`, role: 'button', tabindex: 0, title: `${r.loop} branch ${r.branch}: ${r.days} of ${r.planned} days (${r.state})`, 'data-loop': r.loop, 'data-branch': r.branch });
  bar.style.left = pct(r.start);
  bar.style.width = pct(Math.max(0.2, r.days - r.start));
  const open = day => { window.location.hash = `#/loops/${encodeURIComponent(r.loop)}/branches/${r.branch}/days/${Math.max(r.start, Math.min(r.days, day))}`; };
  bar.addEventListener('click', e => {
    const box = track.getBoundingClientRect();
    open(Math.round(((e.clientX - box.left) / box.width) * maxDays));
  });
  bar.addEventListener('keydown', e => { if (e.key === 'Enter') open(r.days); });
  put(track, bar);
  for (const day of r.forkPoints) {
    const mark = el('span', { class: 'tl-fork', title: `forked after day ${day}` }, '◆');
    mark.style.left = pct(day);
    put(track, mark);
  }
  const row = el('div', { class: 'tl-row', role: 'listitem', 'data-row': index }, label, track);
  row.style.top = `${index * ROW}px`;
  return row;
}
