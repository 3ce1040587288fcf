/* global fetch, sessionStorage, URLSearchParams */
// The API token lives in this tab's sessionStorage and goes out only as `Authorization: Bearer`.
import { t } from './i18n.js';

const TOKEN_KEY = 'switchboard.dashboard.token';

export function storedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** An API answer that was not 2xx: `status`, and the `{ error: { code, message } }` the API sent. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }

  /** the token is unknown, revoked, or lacks the role: back to the sign-in form */
  get isAuth() {
    return this.status === 401 || this.status === 403;
  }
}

/** GET `path` (with `query`) as JSON with the given token; resolves to the body (`data`, and `nextCursor` on lists). */
export async function apiGet(path, query = {}, token = storedToken()) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const url = params.size > 0 ? `${path}?${params}` : path;
  let res;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json', Authorization: `Bearer ${token ?? ''}` }, cache: 'no-store', credentials: 'omit' });
  } catch (err) {
    throw new ApiError(0, 'network', t('dashboard.error.network', { reason: err instanceof Error ? err.message : String(err) }));
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    const error = body && typeof body === 'object' ? body.error : undefined;
    throw new ApiError(res.status, error?.code ?? `http_${res.status}`, error?.message ?? `HTTP ${res.status} ${res.statusText}`.trim());
  }
  if (!body || typeof body !== 'object' || !('data' in body)) {
    throw new ApiError(res.status, 'bad_response', t('dashboard.error.unexpected', { path }));
  }
  return body;
}
