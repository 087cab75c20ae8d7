// Building the page without ever parsing text as HTML: every string becomes a text node, after neutralizing what a
// terminal or a bidi-aware renderer would act on. Model and user text is data here, never markup.

const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const BIDI = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** The text with control characters shown as visible symbols and bidi/invisible marks as their code points. */
export function inert(value) {
  return String(value ?? '')
    .replace(CONTROL, c => (c === '\u001b' ? '\u241B' : '\uFFFD'))
    .replace(BIDI, c => `[U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

/**
 * el('tag', { class, id, href (internal "#/…" only), type, name, value, for, title, aria-*, data-*, disabled, checked,
 * on: { click: fn } }, ...children). Children: strings (inert text), numbers, nodes, arrays, null (skipped).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'on') {
      for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    } else if (key === 'class') {
      node.className = value;
    } else if (key === 'href') {
      if (!String(value).startsWith('#/')) throw new Error('only links inside the UI are made');
      node.setAttribute('href', value);
    } else if (key === 'value') {
      node.value = value;
    } else if (key === 'checked' || key === 'disabled' || key === 'required') {
      node[key] = Boolean(value);
    } else if (/^(id|type|name|for|title|role|placeholder|rows|min|max|step|autocomplete|tabindex|lang|scope|colspan)$/.test(key) || key.startsWith('aria-') || key.startsWith('data-')) {
      node.setAttribute(key, value === true ? '' : inert(value));
    } else {
      throw new Error(`el: attribute ${key} is not allowed`);
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(inert(child)));
  }
}

/** A block of untrusted text (an entry, a candidate, an answer): preformatted, inert, marked as model output. */
export function untrusted(text, label = 'model text') {
  return el('pre', { class: 'untrusted', 'aria-label': label }, text ?? '');
}

/** Appends children as el() does (arrays flattened, null skipped, strings as inert text); the DOM's own append would print them. */
export function put(node, ...children) {
  append(node, children);
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export const fmt = {
  int: n => Number(n ?? 0).toLocaleString('en-US'),
  bits: b => `${Number(b ?? 0).toFixed(3).replace(/\.?0+$/, '') || '0'} bits`,
  date: d => (d ? new Date(d).toISOString().slice(0, 10) : ''),
  time: d => (d ? new Date(d).toISOString().replace('T', ' ').slice(0, 16) + 'Z' : ''),
  money: (c, currency) => `${Number(c ?? 0).toFixed(4)} ${currency ?? 'USD'}`,
};

/** A <meter> with its numbers beside it (no inline style: the policy forbids it). */
export function gauge(value, max, text) {
  const bounded = max > 0 ? Math.min(value, max) : 0;
  return el('span', { class: 'gauge' },
    el('meter', { min: 0, max: max > 0 ? max : 1, value: bounded, 'aria-label': text }),
    el('span', { class: 'gauge-text' }, text));
}
