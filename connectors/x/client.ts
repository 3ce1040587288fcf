/** The one file that imports twitter-api-v2: seven calls, and its errors turned into ours. */
import http from 'node:http';
import { ApiPartialResponseError, ApiRequestError, ApiResponseError, TwitterApi } from 'twitter-api-v2';
import type { ApiV2Includes, IClientSettings, ITwitterApiClientPlugin, TweetV2, UserV2 } from 'twitter-api-v2';
import { AppError, ConnectorAuthError, ConnectorRateLimitError, ConnectorUnavailableError, ReplyNotAllowedError, ValidationError } from '../../src/domain/errors';
import type { XApi, XDmEvent, XPost, XUser } from './types';

export type XCredentials =
  | { appKey: string; appSecret: string; accessToken: string; accessSecret: string }
  | { bearerToken: string };

export interface XClientOptions {
  credentials: XCredentials;
  /** default https://api.x.com; a proxy or a local test server can stand in */
  apiBaseUrl?: string;
  timeoutMs?: number;
}

const X_ORIGIN = 'https://api.x.com';
const FALLBACK_WAIT_MS = 15 * 60_000;
// 403s that mean "these credentials may not do this" rather than "not this post/recipient"
const AUTH_PROBLEM = /client-forbidden|unsupported-authentication|oauth1-permissions/;

export function baseUrlPlugin(base: string, timeoutMs: number): ITwitterApiClientPlugin {
  return {
    onBeforeRequestConfig({ params }) {
      params.timeout ??= timeoutMs;
      if (base === X_ORIGIN || !params.url.startsWith(`${X_ORIGIN}/`)) return;
      // twitter-api-v2 picks JSON bodies from a /2/ path, which a proxy's path prefix would hide
      if (params.url.startsWith(`${X_ORIGIN}/2/`)) params.forceBodyMode ??= 'json';
      params.url = base + params.url.slice(X_ORIGIN.length);
    },
  };
}

function problemText(err: ApiResponseError): string {
  const data = err.data as { detail?: string; title?: string; errors?: { message?: string }[] } | undefined;
  return data?.errors?.[0]?.message ?? data?.detail ?? data?.title ?? `HTTP ${err.code}`;
}

/** Our error for a twitter-api-v2 one; anything else (a bug of ours) passes through unchanged. */
export function toConnectorError(err: unknown): unknown {
  if (err instanceof ApiResponseError) {
    const detail = problemText(err);
    if (err.rateLimitError) {
      const reset = err.rateLimit?.reset ?? Number(err.headers['x-rate-limit-reset']);
      const resetAt = reset > 0 ? new Date(reset * 1000) : new Date(Date.now() + FALLBACK_WAIT_MS);
      return new ConnectorRateLimitError(`X API rate limit reached; resets at ${resetAt.toISOString()}`, resetAt);
    }
    const type = (err.data as { type?: unknown } | undefined)?.type;
    if (err.isAuthError || (err.code === 403 && typeof type === 'string' && AUTH_PROBLEM.test(type))) {
      return new ConnectorAuthError(`X API refused the credentials (${err.code}): ${detail}`);
    }
    if (err.code >= 500) return new ConnectorUnavailableError(`X API unavailable (${err.code}): ${detail}`);
    return new ValidationError(`X API refused the request (${err.code}): ${detail}`, { status: err.code, errors: err.errors });
  }
  if (err instanceof ApiRequestError) {
    // twitter-api-v2 1.29 stores the cause as `error` while its `requestError` getter reads another key
    const cause = (err.requestError as Error | undefined) ?? (err as unknown as { _options?: { error?: Error } })._options?.error;
    return new ConnectorUnavailableError(`X API unreachable: ${cause?.message ?? err.message}`);
  }
  if (err instanceof ApiPartialResponseError) return new ConnectorUnavailableError(`X API answer cut short: ${err.message}`);
  return err;
}

// X's 403 for a reply since 2026-02-23: "…not allowed because you have not been mentioned or otherwise engaged by the author…"
const NOT_ENGAGED = /not been mentioned|otherwise engaged/i;

/** The reply refusal X gives when the post's author did not mention or quote us; any other error is not one. */
function replyRefusal(err: unknown): ReplyNotAllowedError | undefined {
  if (!(err instanceof ValidationError)) return undefined;
  const details = err.details as { status?: number } | undefined;
  return details?.status === 403 && NOT_ENGAGED.test(err.message) ? new ReplyNotAllowedError(err.message) : undefined;
}

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw toConnectorError(err);
  }
}

const toUser = (u: UserV2): XUser => ({ id: u.id, username: u.username, name: u.name });
const usersOf = (includes?: ApiV2Includes): Map<string, XUser> => new Map((includes?.users ?? []).map((u) => [u.id, toUser(u)]));

type ProblemWire = { title?: string; detail?: string; message?: string; type?: string };
// the part of a v2 paginator we read: meta, includes and errors[] are each optional in X's answers
type PageWire = { meta?: { next_token?: string }; data: { data?: unknown; meta?: unknown; includes?: ApiV2Includes; errors?: ProblemWire[] } };

/** includes, next_token and the problems of a 200 answer (errors[] beside data); errors[] alone is a refusal. */
function pageParts(page: PageWire): { users: Map<string, XUser>; nextToken?: string; problems: string[] } {
  const problems = (page.data.errors ?? []).map((e) => e.detail ?? e.message ?? e.title ?? e.type ?? 'unnamed problem');
  if (problems.length > 0 && page.data.data === undefined && page.data.meta === undefined) {
    throw new AppError('connector_refused', `X API answered with problems only: ${problems.join('; ')}`, { problems });
  }
  return { users: usersOf(page.data.includes), nextToken: page.meta?.next_token, problems };
}

// asked for `entities`, X leaves them out of a post that has none: no mentions, not unknown
const toPost = (t: TweetV2, entitiesAsked = false): XPost => ({
  id: t.id,
  text: t.text,
  authorId: t.author_id,
  conversationId: t.conversation_id,
  createdAt: t.created_at,
  inReplyToId: t.referenced_tweets?.find((r) => r.type === 'replied_to')?.id,
  ...(t.entities || entitiesAsked ? { mentions: (t.entities?.mentions ?? []).map((m) => ({ id: m.id, username: m.username })) } : {}),
  ...(t.referenced_tweets?.some((r) => r.type === 'quoted') ? { quotes: true } : {}),
});

// the package does not export DMEventV2; this is the part of it we read
type DmEventWire = { id: string; event_type: string; text?: string; sender_id?: string; dm_conversation_id?: string; created_at?: string };

const toDmEvent = (e: DmEventWire): XDmEvent => ({
  id: e.id,
  eventType: e.event_type,
  text: e.text,
  senderId: e.sender_id,
  dmConversationId: e.dm_conversation_id,
  createdAt: e.created_at,
});

export function createXClient(options: XClientOptions): XApi {
  const base = (options.apiBaseUrl ?? X_ORIGIN).replace(/\/+$/, '');
  const { credentials } = options;
  const settings: Partial<IClientSettings> = {
    plugins: [baseUrlPlugin(base, options.timeoutMs ?? 30_000)],
    // twitter-api-v2 always calls https.request; an http: base needs an http agent
    ...(base.startsWith('http:') ? { httpAgent: new http.Agent() } : {}),
  };
  const v2 = ('bearerToken' in credentials ? new TwitterApi(credentials.bearerToken, settings) : new TwitterApi(credentials, settings)).v2;
  const userFields = { 'user.fields': ['id', 'name', 'username'] as ('id' | 'name' | 'username')[] };

  return {
    me: () => call(async () => toUser((await v2.me(userFields)).data)),

    mentionsPage: (userId, { sinceId, token: pageToken, maxResults }) =>
      call(async () => {
        const page = await v2.userMentionTimeline(userId, {
          ...userFields,
          expansions: ['author_id'],
          'tweet.fields': ['author_id', 'conversation_id', 'created_at', 'in_reply_to_user_id', 'referenced_tweets', 'entities'],
          max_results: maxResults,
          since_id: sinceId,
          pagination_token: pageToken,
        });
        return { ...pageParts(page), items: page.tweets.map((t) => toPost(t, true)), newestId: page.meta?.newest_id };
      }),

    dmEventsPage: ({ token: pageToken, maxResults }) =>
      call(async () => {
        const page = await v2.listDmEvents({
          ...userFields,
          event_types: ['MessageCreate'],
          expansions: ['sender_id'],
          'dm_event.fields': ['id', 'event_type', 'text', 'created_at', 'dm_conversation_id', 'sender_id', 'participant_ids'],
          max_results: maxResults,
          pagination_token: pageToken,
        });
        return { ...pageParts(page), items: page.events.map(toDmEvent) };
      }),

    ownPostsPage: (userId, { startTime, token: pageToken, maxResults }) =>
      call(async () => {
        const page = await v2.userTimeline(userId, {
          // X takes whole seconds: rounding down keeps a post from the first second of `startTime`
          start_time: new Date(Math.floor(startTime.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
          max_results: maxResults,
          pagination_token: pageToken,
          'tweet.fields': ['referenced_tweets', 'created_at', 'conversation_id'],
          // replies are what we look for: exclude only retweets
          exclude: ['retweets'],
        });
        return { ...pageParts(page), items: page.tweets.map((t) => toPost(t)), users: new Map(), newestId: page.meta?.newest_id };
      }),

    dmEventsWithPage: (participantId, { token: pageToken, maxResults }) =>
      call(async () => {
        const page = await v2.listDmEventsWithParticipant(participantId, {
          event_types: ['MessageCreate'],
          expansions: ['sender_id'],
          'dm_event.fields': ['id', 'event_type', 'text', 'created_at', 'dm_conversation_id', 'sender_id'],
          max_results: maxResults,
          pagination_token: pageToken,
        });
        return { ...pageParts(page), items: page.events.map(toDmEvent) };
      }),

    reply: (text, inReplyToId) =>
      call(async () => ({ id: (await v2.reply(text, inReplyToId)).data.id })).catch((err: unknown) => {
        throw replyRefusal(err) ?? err;
      }),

    post: (text) => call(async () => ({ id: (await v2.tweet(text)).data.id })),

    sendDm: (participantId, text) =>
      call(async () => {
        const answer: unknown = await v2.sendDmToParticipant(participantId, { text });
        // typed as the bare result, but X wraps it in `data`
        const body = answer as { data?: { dm_event_id?: string; dm_conversation_id?: string }; dm_event_id?: string; dm_conversation_id?: string };
        const result = body.data ?? body;
        // not retryable: the DM went out, a retry would send it twice
        if (!result.dm_event_id) throw new AppError('connector_unexpected_answer', 'X API accepted the DM but named no dm_event_id');
        return { dmEventId: result.dm_event_id, dmConversationId: result.dm_conversation_id };
      }),
  };
}
