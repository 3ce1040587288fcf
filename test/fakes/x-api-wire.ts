/** Wire shapes of the fake X API v2: field selection, expansions, error bodies, rate-limit headers. */
import type { ServerResponse } from 'node:http';
import type { FakeDmEvent, FakeTweet, FakeUser } from './x-api-state';

export type XRoute =
  | 'GET /2/users/me'
  | 'GET /2/users/:id/mentions'
  | 'GET /2/users/:id/tweets'
  | 'GET /2/dm_events'
  | 'GET /2/dm_conversations/with/:participant_id/dm_events'
  | 'POST /2/tweets'
  | 'POST /2/dm_conversations/with/:participant_id/messages'
  | 'GET /2/activity/subscriptions'
  | 'POST /2/activity/subscriptions';

/** Comma-separated list parameter (`tweet.fields=a,b`) as a set. */
export function listParam(query: URLSearchParams, ...names: string[]): Set<string> {
  return new Set(names.flatMap((n) => (query.get(n) ?? '').split(',')).filter(Boolean));
}

const TWEET_FIELDS = ['author_id', 'conversation_id', 'created_at', 'in_reply_to_user_id', 'referenced_tweets', 'entities'] as const;
const DM_FIELDS = ['created_at', 'dm_conversation_id', 'sender_id', 'participant_ids'] as const;

/** X answers id, text and edit history by default; every other field only when asked for. */
export function tweetOut(t: FakeTweet, fields: Set<string>, expansions: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: t.id, text: t.text, edit_history_tweet_ids: [t.id] };
  for (const f of TWEET_FIELDS) if (fields.has(f) && t[f] !== undefined) out[f] = t[f];
  if (expansions.has('author_id')) out.author_id = t.author_id;
  // the OpenAPI description (xdk) names it referenced_posts; the live wire says referenced_tweets
  if (fields.has('referenced_posts') && t.referenced_tweets) out.referenced_posts = t.referenced_tweets;
  return out;
}

export function dmOut(e: FakeDmEvent, fields: Set<string>, expansions: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: e.id, event_type: e.event_type };
  if (e.text !== undefined) out.text = e.text;
  for (const f of DM_FIELDS) if (fields.has(f)) out[f] = e[f];
  if (expansions.has('sender_id')) out.sender_id = e.sender_id;
  return out;
}

export function userOut(u: FakeUser, fields: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: u.id, name: u.name, username: u.username };
  if (fields.has('created_at')) out.created_at = u.created_at;
  if (fields.has('profile_image_url')) out.profile_image_url = `https://pbs.twimg.com/profile_images/${u.id}/normal.jpg`;
  return out;
}

/** Opaque page token (the spec asks for at least 16 characters): the id the next page starts at. */
export const encodeToken = (id: string): string => Buffer.from(`p:${id}`).toString('hex');
export function decodeToken(token: string): string | undefined {
  const text = Buffer.from(token, 'hex').toString();
  return /^p:\d{1,19}$/.test(text) ? text.slice(2) : undefined;
}

/** X counts roughly in code points, with every URL as 23 (t.co). */
export function xLength(text: string): number {
  const urls = text.match(/https?:\/\/\S+/g) ?? [];
  const rest = urls.reduce((s, u) => s.replace(u, ''), text);
  return [...rest].length + urls.length * 23;
}

const TITLES: Record<number, string> = {
  400: 'Invalid Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found Error',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** X's problem body: `about:blank` for transport-level refusals, a problem type for invalid requests. */
export function problem(status: number, detail?: string): Record<string, unknown> {
  const title = TITLES[status] ?? 'Error';
  return { title, detail: detail ?? title, type: 'about:blank', status };
}

/** X's 403 to a reply whose target's author neither mentioned nor quoted the account (self-serve apps, 2026). */
export function replyNotAllowed(): Record<string, unknown> {
  return problem(403, 'Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.');
}

export function invalidRequest(parameter: string, value: string, message: string): Record<string, unknown> {
  return {
    errors: [{ parameters: { [parameter]: [value] }, message }],
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: 'https://api.x.com/2/problems/invalid-request',
  };
}

export interface RateWindow {
  limit: number;
  remaining: number;
  /** epoch seconds; null leaves the x-rate-limit-reset header out */
  reset: number | null;
}

export function send(res: ServerResponse, status: number, body: unknown, rate: RateWindow): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': status >= 400 && !('errors' in (body as object)) ? 'application/problem+json' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    'x-rate-limit-limit': String(rate.limit),
    'x-rate-limit-remaining': String(rate.remaining),
    ...(rate.reset === null ? {} : { 'x-rate-limit-reset': String(rate.reset) }),
  });
  res.end(json);
}
