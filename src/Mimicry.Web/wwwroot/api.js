// The API, as the signed-in browser: the session cookie goes along by itself; every change carries the CSRF token.

let session = null;

export class ApiError extends Error {
  constructor(status, detail, errors) {
    super(detail);
    this.status = status;
    this.errors = errors ?? [];
  }
}

/** An id with slashes ("loop/branch/day") as the API's path segments. */
export function ids(id) {
  return String(id).split('/').map(encodeURIComponent).join('/');
}

export function current() {
  return session;
}

export function can(...roles) {
  return Boolean(session) && session.roles.some(r => r === 'admin' || roles.includes(r));
}

export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session?.csrf) headers['X-Mimicry-CSRF'] = session.csrf;
  const response = await fetch(`/api/v1${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', redirect: 'error',
  });
  if (response.status === 401 && path !== '/session') {
    session = null;
    window.location.hash = '#/signin';
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => null);
    throw new ApiError(response.status, problem?.detail ?? problem?.title ?? response.statusText, problem?.errors);
  }
  return response.status === 204 ? null : response.json();
}

/** The browser's session, if it has one. */
export async function load() {
  try {
    session = await api('/session');
  } catch {
    session = null;
  }
  return session;
}

export async function signIn(token) {
  session = await api('/session', { method: 'POST', body: { token } });
  return session;
}

export async function signOut() {
  try {
    await api('/session', { method: 'DELETE' });
  } finally {
    session = null;
  }
}
