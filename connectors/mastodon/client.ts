/** The one file that imports masto: seven calls, and its errors turned into ours. */
import { MastoDeserializeError, MastoHttpError, MastoTimeoutError, MastoUnexpectedError, createRestAPIClient } from 'masto';
import type { mastodon } from 'masto';
import { ConnectorAuthError, ConnectorRateLimitError, ConnectorUnavailableError, ValidationError } from '../../src/domain/errors';
import type { MastodonAccount, MastodonApi, MastodonNotification, MastodonStatus } from './types';

export interface MastodonClientOptions {
  /** the instance, e.g. https://mastodon.social */
  url: string;
  accessToken: string;
  timeoutMs?: number;
}

// Mastodon's rate-limit window is five minutes: without a reset header, wait one window
const FALLBACK_WAIT_MS = 5 * 60_000;

function resetOf(err: MastoHttpError): Date {
  const header = err.cause instanceof Response ? err.cause.headers.get('x-ratelimit-reset') : null;
  const at = header ? new Date(header) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : new Date(Date.now() + FALLBACK_WAIT_MS);
}

/** Our error for a masto one (or a broken connection); anything else (a bug of ours) passes through unchanged. */
export function toConnectorError(err: unknown, host: string): unknown {
  if (err instanceof MastoHttpError) {
    const detail = [err.message, err.description].filter(Boolean).join(': ') || `HTTP ${err.statusCode}`;
    if (err.statusCode === 429) {
      const resetAt = resetOf(err);
      return new ConnectorRateLimitError(`Mastodon (${host}) rate limit reached; resets at ${resetAt.toISOString()}`, resetAt);
    }
    // 403 "This action is outside the authorized scopes": the token, not the request, is wrong
    if (err.statusCode === 401 || (err.statusCode === 403 && /scope/i.test(detail))) {
      return new ConnectorAuthError(`Mastodon (${host}) refused the access token (${err.statusCode}): ${detail}`);
    }
    if (err.statusCode >= 500) return new ConnectorUnavailableError(`Mastodon (${host}) unavailable (${err.statusCode}): ${detail}`);
    return new ValidationError(`Mastodon (${host}) refused the request (${err.statusCode}): ${detail}`, { status: err.statusCode });
  }
  if (err instanceof MastoTimeoutError) return new ConnectorUnavailableError(`Mastodon (${host}) did not answer in time`);
  if (err instanceof MastoUnexpectedError || err instanceof MastoDeserializeError) return new ConnectorUnavailableError(`Mastodon (${host}) answered something unreadable: ${err.message}`);
  // undici's fetch: a refused or dropped connection is a TypeError with the socket error as its cause
  if (err instanceof TypeError && err.message === 'fetch failed') {
    const cause = err.cause instanceof Error ? err.cause.message : String(err.cause);
    return new ConnectorUnavailableError(`Mastodon (${host}) unreachable: ${cause}`);
  }
  return err;
}

const toAccount = (a: mastodon.v1.Account): MastodonAccount => ({
  id: a.id,
  acct: a.acct,
  username: a.username,
  ...(a.displayName ? { displayName: a.displayName } : {}),
  ...(a.url ? { url: a.url } : {}),
});

const toStatus = (s: mastodon.v1.Status): MastodonStatus => ({
  id: s.id,
  createdAt: s.createdAt,
  content: s.content ?? '',
  ...(s.spoilerText ? { spoilerText: s.spoilerText } : {}),
  visibility: s.visibility,
  ...(s.inReplyToId ? { inReplyToId: s.inReplyToId } : {}),
  ...(s.url ? { url: s.url } : {}),
  uri: s.uri,
  account: toAccount(s.account),
});

const toNotification = (n: mastodon.v1.Notification): MastodonNotification => ({
  id: n.id,
  type: n.type,
  ...('status' in n && n.status ? { status: toStatus(n.status) } : {}),
});

export function createMastodonClient(options: MastodonClientOptions): MastodonApi {
  const host = new URL(options.url).host;
  const client = createRestAPIClient({ url: options.url, accessToken: options.accessToken, timeout: options.timeoutMs ?? 30_000 });
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      throw toConnectorError(err, host);
    }
  };
  async function* pages<T, U>(source: AsyncIterable<T[]>, map: (item: T) => U): AsyncIterableIterator<U[]> {
    const it = source[Symbol.asyncIterator]();
    for (;;) {
      const step = await call(() => it.next());
      if (step.done) return;
      yield step.value.map(map);
    }
  }

  return {
    me: () => call(async () => toAccount(await client.v1.accounts.verifyCredentials())),

    mentionPages: ({ minId, limit }) => {
      const list = client.v1.notifications.list({ types: ['mention'], limit, ...(minId ? { minId } : {}) });
      // after min_id the Link header's "prev" leads to newer notifications, "next" to older ones
      return pages(minId ? list.setDirection('prev') : list, toNotification);
    },

    status: (id) => call(async () => toStatus(await client.v1.statuses.$select(id).fetch())),

    rootOf: (id) => call(async () => (await client.v1.statuses.$select(id).context.fetch()).ancestors[0]?.id ?? id),

    maxCharacters: () => call(async () => (await client.v2.instance.fetch()).configuration?.statuses?.maxCharacters),

    post: ({ text, visibility, inReplyToId }, idempotencyKey) =>
      call(async () =>
        toStatus(
          await client.v1.statuses.create(
            { status: text, visibility, ...(inReplyToId ? { inReplyToId } : {}) },
            { requestInit: { headers: { 'Idempotency-Key': idempotencyKey } } },
          ),
        ),
      ),

    ownStatusPages: (accountId, limit) => pages(client.v1.accounts.$select(accountId).statuses.list({ limit }), toStatus),
  };
}
