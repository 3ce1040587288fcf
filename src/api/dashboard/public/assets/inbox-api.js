/* global fetch */
// Writes for the inbox: JSON with the tab's token; the same error shape as apiGet.
import { ApiError, storedToken } from './api.js';
import { t } from './i18n.js';

/** `method` `path` with a JSON `body`; resolves to `{ data }`; `headers` adds e.g. Idempotency-Key. */
export async function apiSend(method, path, body, headers = {}) {
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: `Bearer ${storedToken() ?? ''}`, 'X-Switchboard-Client': 'inbox', ...headers },
      body: JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (err) {
    throw new ApiError(0, 'network', t('dashboard.error.network', { reason: err instanceof Error ? err.message : String(err) }));
  }
  let answer = null;
  try {
    answer = await res.json();
  } catch {
    answer = null;
  }
  if (!res.ok) {
    const error = answer && typeof answer === 'object' ? answer.error : undefined;
    const field = Array.isArray(error?.details) && error.details[0]?.message ? ` (${error.details[0].message})` : '';
    throw new ApiError(res.status, error?.code ?? `http_${res.status}`, `${error?.message ?? `HTTP ${res.status}`}${field}`);
  }
  return answer;
}
