// The web UI: a hash-routed page per task, each built from the API's JSON as text nodes (see dom.js).
import { el, clear, put } from './dom.js';
import { current, load, signOut, can } from './api.js';
import * as signin from './pages/signin.js';
import * as loops from './pages/loops.js';
import * as loop from './pages/loop.js';
import * as timeline from './pages/timeline.js';
import * as read from './pages/read.js';
import * as inbox from './pages/inbox.js';
import * as probe from './pages/probe.js';
import * as reviews from './pages/reviews.js';
import * as review from './pages/review.js';

const routes = [
  [/^#\/signin$/, signin],
  [/^#\/loops$/, loops],
  [/^#\/loops\/([^/]+)$/, loop],
  [/^#\/loops\/([^/]+)\/timeline$/, timeline],
  [/^#\/loops\/([^/]+)\/branches\/(\d+)(?:\/days\/(\d+))?$/, read],
  [/^#\/inbox$/, inbox],
  [/^#\/probes\/([^/]+)$/, probe],
  [/^#\/reviews$/, reviews],
  [/^#\/reviews\/([^/]+)$/, review],
];

let cleanup = null;

function home() {
  if (!current()) return '#/signin';
  if (can('operator', 'viewer')) return '#/loops';
  if (can('reviewer')) return '#/reviews';
  return '#/inbox';
}

function renderNav() {
  const nav = clear(document.getElementById('nav'));
  const who = clear(document.getElementById('who'));
  const session = current();
  if (!session) return;
  if (can('operator', 'reviewer', 'viewer')) put(nav, el('a', { href: '#/loops' }, 'Loops'));
  if (can('operator', 'reviewer', 'viewer')) put(nav, el('a', { href: '#/reviews' }, 'Review desk'));
  if (can('researcher', 'operator', 'reviewer', 'viewer')) put(nav, el('a', { href: '#/inbox' }, session.roles.includes('researcher') ? 'My probes' : 'Probes'));
  put(who, 
    el('span', { class: 'user', 'data-testid': 'user' }, `${session.name} (${session.roles.join(', ')})`),
    el('button', { type: 'button', class: 'link', id: 'signout', on: { click: async () => { await signOut(); window.location.hash = '#/signin'; renderNav(); } } }, 'Sign out'));
}

async function route() {
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  const hash = window.location.hash || '';
  if (!current() && hash !== '#/signin') {
    window.location.hash = '#/signin';
    return;
  }
  const match = routes.map(([pattern, page]) => [pattern.exec(hash), page]).find(([m]) => m);
  if (!match) {
    window.location.hash = home();
    return;
  }
  const [m, page] = match;
  const root = clear(document.getElementById('app'));
  renderNav();
  try {
    cleanup = (await page.render(root, m.slice(1).map(p => (p === undefined ? undefined : decodeURIComponent(p))), { home, renderNav })) ?? null;
  } catch (error) {
    put(clear(root), el('p', { class: 'error', role: 'alert' }, `Could not show this page: ${error.message}`));
  }
  root.focus({ preventScroll: true });
}

window.addEventListener('hashchange', route);
await load();
route();
