import { el, put } from '../dom.js';
import { signIn } from '../api.js';

export async function render(root, _params, { home, renderNav }) {
  const token = el('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true, placeholder: 'mim_…' });
  const message = el('p', { class: 'error', role: 'alert', id: 'signin-error' });
  const form = el('form', { class: 'card narrow', on: { submit: async e => {
    e.preventDefault();
    message.textContent = '';
    try {
      await signIn(token.value.trim());
      token.value = '';
      renderNav();
      window.location.hash = home();
    } catch (error) {
      message.textContent = error.message;
    }
  } } },
    el('h1', {}, 'Sign in'),
    el('p', { class: 'muted' }, 'Paste the API token you were given (mimicry tokens create, or DATA/api-token on an embedded host), or, where the server trusts your organization\'s identity provider, an OIDC access token. The browser keeps the session in an HttpOnly cookie: 12 hours for an API token (your token itself is not kept), until it expires for an OIDC token.'),
    el('label', { for: 'token' }, 'API token or OIDC access token'),
    token,
    el('button', { type: 'submit', id: 'signin' }, 'Sign in'),
    message);
  put(root, form);
  token.focus();
}
