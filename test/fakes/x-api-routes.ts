/** The nine X API v2 endpoints the fake answers, after auth, rate limits and injected failures. */
import { createSubscription, listSubscriptions } from './x-api-activity';
import { compareIds } from './x-api-state';
import type { FakeDmEvent, FakeTweet, FakeUser, FakeXState } from './x-api-state';
import { decodeToken, dmOut, encodeToken, invalidRequest, listParam, problem, replyNotAllowed, tweetOut, userOut, xLength } from './x-api-wire';
import type { XRoute } from './x-api-wire';

export interface RouteInput {
  state: FakeXState;
  query: URLSearchParams;
  params: Record<string, string>;
  body: unknown;
  /** the Authorization header as sent */
  authorization?: string;
}
export interface RouteAnswer {
  status: number;
  body: unknown;
}
type Handler = (input: RouteInput) => RouteAnswer;

const ID = /^\d{1,19}$/;
const POST_KEYS = new Set(['card_uri', 'community_id', 'direct_message_deep_link', 'edit_options', 'for_super_followers_only', 'geo',
  'made_with_ai', 'media', 'nullcast', 'paid_partnership', 'poll', 'quote_tweet_id', 'reply', 'reply_settings', 'share_with_followers', 'text']);

function pageSize(query: URLSearchParams, min: number, max: number, fallback: number): number | RouteAnswer {
  const raw = query.get('max_results');
  if (raw === null) return fallback;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  return { status: 400, body: invalidRequest('max_results', raw, `The \`max_results\` query parameter value [${raw}] is not between ${min} and ${max}`) };
}

/** Slices a newest-first list at the page token; shared by the post timelines and DM events. */
function paginate<T extends { id: string }>(all: T[], query: URLSearchParams, size: number): { page: T[]; next?: string } | RouteAnswer {
  const token = query.get('pagination_token');
  let start = 0;
  if (token !== null) {
    const from = decodeToken(token);
    if (!from) return { status: 400, body: invalidRequest('pagination_token', token, 'The `pagination_token` query parameter value is not valid') };
    start = all.findIndex((item) => compareIds(item.id, from) <= 0);
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + size);
  const following = all[start + size];
  return { page, next: following ? encodeToken(following.id) : undefined };
}

function usersOf(state: FakeXState, ids: string[], query: URLSearchParams): Record<string, unknown>[] {
  const fields = listParam(query, 'user.fields');
  return [...new Set(ids)].map((id) => state.users.get(id)).filter((u): u is FakeUser => !!u).map((u) => userOut(u, fields));
}

const isAnswer = (v: unknown): v is RouteAnswer => typeof v === 'object' && v !== null && 'status' in v;

const me: Handler = ({ state, query }) => ({ status: 200, body: { data: userOut(state.me, listParam(query, 'user.fields')) } });

const mentions: Handler = ({ state, query, params }) => {
  for (const name of ['since_id', 'until_id']) {
    const v = query.get(name);
    if (v !== null && !ID.test(v)) return { status: 400, body: invalidRequest(name, v, `The \`${name}\` query parameter value [${v}] does not match ^[0-9]{1,19}$`) };
  }
  const size = pageSize(query, 5, 100, 10);
  if (isAnswer(size)) return size;
  const since = query.get('since_id');
  const until = query.get('until_id');
  const all = state.mentionsOf(params.id ?? '').filter(
    (t) => (since === null || compareIds(t.id, since) > 0) && (until === null || compareIds(t.id, until) < 0),
  );
  return tweetPage(state, all, query, size);
};

// X keeps this many of a user's newest posts reachable through the user's timeline
const TIMELINE_DEPTH = 3200;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})$/;
const EARLIEST = Date.parse('2010-11-06T00:00:00Z');

/** start_time / end_time in whole seconds (X's granularity), or the 400 X answers. */
function timeParam(query: URLSearchParams, name: string): number | null | RouteAnswer {
  const raw = query.get(name);
  if (raw === null) return null;
  const ms = Date.parse(raw);
  if (!DATE_TIME.test(raw) || Number.isNaN(ms)) {
    return { status: 400, body: invalidRequest(name, raw, `Invalid '${name}':'${raw}'. '${name}' must be a valid RFC 3339 date-time`) };
  }
  if (ms < EARLIEST) return { status: 400, body: invalidRequest(name, raw, `Invalid '${name}':'${raw}'. '${name}' must be on or after 2010-11-06T00:00Z`) };
  return Math.floor(ms / 1000) * 1000;
}

/** GET /2/users/:id/tweets: the user's own posts, newest first; start_time inclusive, end_time exclusive. */
const userPosts: Handler = ({ state, query, params }) => {
  for (const name of ['since_id', 'until_id']) {
    const v = query.get(name);
    if (v !== null && !ID.test(v)) return { status: 400, body: invalidRequest(name, v, `The \`${name}\` query parameter value [${v}] does not match ^[0-9]{1,19}$`) };
  }
  const size = pageSize(query, 5, 100, 10);
  if (isAnswer(size)) return size;
  const start = timeParam(query, 'start_time');
  if (isAnswer(start)) return start;
  const end = timeParam(query, 'end_time');
  if (isAnswer(end)) return end;
  if (start !== null && end !== null && start >= end) {
    return { status: 400, body: invalidRequest('start_time', query.get('start_time') ?? '', 'The `start_time` query parameter value must be before the `end_time` query parameter value') };
  }
  const exclude = listParam(query, 'exclude');
  const unknown = [...exclude].find((e) => e !== 'replies' && e !== 'retweets');
  if (unknown) return { status: 400, body: invalidRequest('exclude', unknown, `The \`exclude\` query parameter value [${unknown}] is not one of [replies,retweets]`) };
  const since = query.get('since_id');
  const until = query.get('until_id');
  const kind = (t: { referenced_tweets?: { type: string }[] }, type: string): boolean => !!t.referenced_tweets?.some((r) => r.type === type);
  const all = state
    .postsBy(params.id ?? '')
    .slice(0, TIMELINE_DEPTH)
    .filter((t) => !(exclude.has('replies') && kind(t, 'replied_to')) && !(exclude.has('retweets') && kind(t, 'retweeted')))
    .filter((t) => (since === null || compareIds(t.id, since) > 0) && (until === null || compareIds(t.id, until) < 0))
    .filter((t) => (start === null || Date.parse(t.created_at) >= start) && (end === null || Date.parse(t.created_at) < end));
  return tweetPage(state, all, query, size);
};

/** One page of posts in X's timeline shape; shared by mentions and a user's posts. */
function tweetPage(state: FakeXState, all: FakeTweet[], query: URLSearchParams, size: number): RouteAnswer {
  const sliced = paginate(all, query, size);
  if (isAnswer(sliced)) return sliced;
  const { page, next } = sliced;
  if (page.length === 0) return { status: 200, body: { meta: { result_count: 0 } } };
  const fields = listParam(query, 'tweet.fields', 'post.fields');
  const expansions = listParam(query, 'expansions');
  const body: Record<string, unknown> = {
    data: page.map((t) => tweetOut(t, fields, expansions)),
    meta: { result_count: page.length, newest_id: page[0]?.id, oldest_id: page.at(-1)?.id, ...(next ? { next_token: next } : {}) },
  };
  if (expansions.has('author_id')) body.includes = { users: usersOf(state, page.map((t) => t.author_id), query) };
  return { status: 200, body };
}

/** One page of DM events in X's shape; shared by all DM events and one conversation's. */
function dmPage(state: FakeXState, all: FakeDmEvent[], query: URLSearchParams): RouteAnswer {
  const size = pageSize(query, 1, 100, 100);
  if (isAnswer(size)) return size;
  const sliced = paginate(all, query, size);
  if (isAnswer(sliced)) return sliced;
  const { page, next } = sliced;
  const fields = listParam(query, 'dm_event.fields');
  const expansions = listParam(query, 'expansions');
  const body: Record<string, unknown> = { meta: { result_count: page.length, ...(next ? { next_token: next } : {}) } };
  if (page.length > 0) body.data = page.map((e) => dmOut(e, fields, expansions));
  const ids = [
    ...(expansions.has('sender_id') ? page.map((e) => e.sender_id) : []),
    ...(expansions.has('participant_ids') ? page.flatMap((e) => e.participant_ids) : []),
  ];
  if (ids.length > 0) body.includes = { users: usersOf(state, ids, query) };
  return { status: 200, body };
}

const dmEvents: Handler = ({ state, query }) => dmPage(state, state.dmEventsOf(state.me.id, listParam(query, 'event_types')), query);

/** GET /2/dm_conversations/with/:participant_id/dm_events: the account's one-to-one conversation with that user. */
const dmEventsWith: Handler = ({ state, query, params }) => {
  const participantId = params.participant_id ?? '';
  if (!ID.test(participantId)) {
    return { status: 400, body: invalidRequest('participant_id', participantId, `The \`participant_id\` path parameter value [${participantId}] does not match ^[0-9]{1,19}$`) };
  }
  return dmPage(state, state.dmEventsBetween(state.me.id, participantId, listParam(query, 'event_types')), query);
};

const createPost: Handler = ({ state, body }) => {
  const b = (body ?? {}) as { text?: unknown; reply?: { in_reply_to_tweet_id?: unknown } };
  const extra = Object.keys(b).find((k) => !POST_KEYS.has(k));
  if (extra) return { status: 400, body: invalidRequest(extra, '', `[${extra}] is not one of the allowed properties`) };
  const text = b.text ?? '';
  if (typeof text !== 'string' || text.length === 0) return { status: 400, body: invalidRequest('text', JSON.stringify(text), 'Post text must be a non-empty string') };
  if (xLength(text) > 280) return { status: 400, body: invalidRequest('text', text, `Post text is too long (${xLength(text)} > 280 characters)`) };
  const replyTo = b.reply?.in_reply_to_tweet_id;
  if (replyTo !== undefined && (typeof replyTo !== 'string' || !state.tweets.some((t) => t.id === replyTo))) {
    return { status: 403, body: problem(403, 'You attempted to reply to a Tweet that is deleted or not visible to you.') };
  }
  const target = state.tweets.find((t) => t.id === replyTo);
  if (target && !state.mayReplyTo(target)) return { status: 403, body: replyNotAllowed() };
  const post = state.addPost(state.me, text, replyTo);
  state.createdPosts.push({ id: post.id, text, inReplyToTweetId: replyTo });
  return { status: 201, body: { data: { id: post.id, text, edit_history_tweet_ids: [post.id] } } };
};

const sendDm: Handler = ({ state, params, body }) => {
  const participantId = params.participant_id ?? '';
  const to = state.users.get(participantId);
  if (!ID.test(participantId) || !to) return { status: 400, body: invalidRequest('participant_id', participantId, 'Unknown participant') };
  const b = (body ?? {}) as { text?: unknown };
  const extra = Object.keys(b).find((k) => k !== 'text' && k !== 'attachments');
  if (extra) return { status: 400, body: invalidRequest(extra, '', `[${extra}] is not one of the allowed properties`) };
  if (typeof b.text !== 'string' || b.text.length === 0 || b.text.length > 10_000) {
    return { status: 400, body: invalidRequest('text', JSON.stringify(b.text) ?? '', 'DM text must be 1 to 10000 characters') };
  }
  const event = state.addDm({ from: state.me, to, text: b.text });
  state.sentDms.push({ dmEventId: event.id, dmConversationId: event.dm_conversation_id, participantId, text: b.text });
  return { status: 201, body: { data: { dm_conversation_id: event.dm_conversation_id, dm_event_id: event.id } } };
};

export const ROUTES: { route: XRoute; method: string; pattern: RegExp; keys: string[]; handle: Handler }[] = [
  { route: 'GET /2/users/me', method: 'GET', pattern: /^\/2\/users\/me$/, keys: [], handle: me },
  { route: 'GET /2/users/:id/mentions', method: 'GET', pattern: /^\/2\/users\/([^/]+)\/mentions$/, keys: ['id'], handle: mentions },
  { route: 'GET /2/users/:id/tweets', method: 'GET', pattern: /^\/2\/users\/([^/]+)\/tweets$/, keys: ['id'], handle: userPosts },
  { route: 'GET /2/dm_events', method: 'GET', pattern: /^\/2\/dm_events$/, keys: [], handle: dmEvents },
  {
    route: 'GET /2/dm_conversations/with/:participant_id/dm_events',
    method: 'GET',
    pattern: /^\/2\/dm_conversations\/with\/([^/]+)\/dm_events$/,
    keys: ['participant_id'],
    handle: dmEventsWith,
  },
  { route: 'POST /2/tweets', method: 'POST', pattern: /^\/2\/tweets$/, keys: [], handle: createPost },
  {
    route: 'POST /2/dm_conversations/with/:participant_id/messages',
    method: 'POST',
    pattern: /^\/2\/dm_conversations\/with\/([^/]+)\/messages$/,
    keys: ['participant_id'],
    handle: sendDm,
  },
  { route: 'GET /2/activity/subscriptions', method: 'GET', pattern: /^\/2\/activity\/subscriptions$/, keys: [], handle: listSubscriptions },
  { route: 'POST /2/activity/subscriptions', method: 'POST', pattern: /^\/2\/activity\/subscriptions$/, keys: [], handle: createSubscription },
];
