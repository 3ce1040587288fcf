/** The XRPC methods of the fake Bluesky, each answering as its lexicon says (input checked, output shaped). */
import type { FakeBluesky } from './bluesky-api';

export interface Request {
  fake: FakeBluesky;
  query: URLSearchParams;
  body: unknown;
  authorization?: string;
}
export type Answer = { body: unknown } | { status: number; error: string; message: string };
export type Handler = (req: Request) => Answer;

const invalid = (message: string): Answer => ({ status: 400, error: 'InvalidRequest', message });

function limitOf(query: URLSearchParams): number | Answer {
  const raw = query.get('limit');
  const limit = raw === null ? 50 : Number(raw);
  return Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : invalid('limit must be an integer from 1 to 100');
}

/** Newest first; the cursor is the key of the last item given, so items arriving meanwhile never shift a page. */
function paged<T>(req: Request, newestFirst: T[], key: (item: T) => string, view: (item: T) => unknown, field: string): Answer {
  const limit = limitOf(req.query);
  if (typeof limit !== 'number') return limit;
  const cursor = req.query.get('cursor');
  const rest = cursor ? newestFirst.filter((item) => key(item) < cursor) : newestFirst;
  const page = rest.slice(0, limit);
  const more = rest.length > limit;
  const last = page.at(-1);
  return { body: { [field]: page.map(view), ...(more && last ? { cursor: key(last) } : {}) } };
}

const graphemes = (text: string): number => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].length;

function session(req: Request, tokens: { accessJwt: string; refreshJwt: string }): Answer {
  const { me } = req.fake;
  const extra = req.fake.minimal ? {} : { email: 'social@kestrelhome.example', emailConfirmed: true, active: true };
  return { body: { ...tokens, handle: me.handle, did: me.did, ...extra } };
}

export const pdsRoutes: Record<string, Handler> = {
  'com.atproto.server.createSession': (req) => {
    const { identifier, password } = (req.body ?? {}) as { identifier?: unknown; password?: unknown };
    if (typeof identifier !== 'string' || typeof password !== 'string') return invalid('identifier and password are required');
    const { me } = req.fake;
    if ((identifier !== me.handle && identifier !== me.did) || password !== req.fake.password) {
      return { status: 401, error: 'AuthenticationRequired', message: 'Invalid identifier or password' };
    }
    return session(req, req.fake.issueTokens());
  },

  'com.atproto.server.refreshSession': (req) => {
    const state = req.fake.tokenState('refresh', req.authorization);
    if (state === 'expired') return { status: 400, error: 'ExpiredToken', message: 'Token has expired' };
    if (state === 'missing') return { status: 400, error: 'InvalidToken', message: 'Token could not be verified' };
    return session(req, req.fake.issueTokens());
  },

  'com.atproto.server.getSession': (req) => ({ body: { handle: req.fake.me.handle, did: req.fake.me.did } }),

  'app.bsky.notification.listNotifications': (req) => {
    const { state, minimal } = req.fake;
    const reasons = req.query.getAll('reasons');
    const items = [...state.notifications].reverse().filter((n) => reasons.length === 0 || reasons.includes(n.reason));
    return paged(req, items, (n) => `${n.indexedAt}|${n.post.uri}`, (n) => state.notificationView(n, minimal), 'notifications');
  },

  'app.bsky.feed.getPosts': (req) => {
    const { state, minimal } = req.fake;
    const uris = req.query.getAll('uris');
    if (uris.length === 0 || uris.length > 25) return invalid('uris: 1 to 25 at-uris');
    // a deleted post is simply absent from the answer
    return { body: { posts: uris.flatMap((uri) => state.posts.get(uri) ?? []).map((p) => state.postView(p, minimal)) } };
  },

  'app.bsky.feed.getAuthorFeed': (req) => {
    const { state, minimal } = req.fake;
    const actor = req.query.get('actor');
    if (!actor) return invalid('actor is required');
    const own = [...state.posts.values()].filter((p) => p.author.did === actor || p.author.handle === actor).reverse();
    return paged(req, own, (p) => `${p.indexedAt}|${p.uri}`, (p) => ({ post: state.postView(p, minimal) }), 'feed');
  },

  'com.atproto.repo.createRecord': (req) => {
    const { state } = req.fake;
    const { repo, collection, record } = (req.body ?? {}) as { repo?: string; collection?: string; record?: { $type?: string; text?: unknown; reply?: { root?: { uri: string; cid: string }; parent?: { uri: string; cid: string } } } };
    if (repo !== state.me.did && repo !== state.me.handle) return invalid(`repo ${String(repo)} is not the session's account`);
    if (collection !== 'app.bsky.feed.post' || record?.$type !== 'app.bsky.feed.post') return invalid('only app.bsky.feed.post records');
    if (typeof record.text !== 'string' || graphemes(record.text) > 300) return invalid('Invalid app.bsky.feed.post record: record/text must not be longer than 300 graphemes');
    const { root, parent } = record.reply ?? {};
    if (record.reply) {
      const known = (ref?: { uri: string; cid: string }) => ref && state.posts.get(ref.uri)?.cid === ref.cid;
      if (!known(root) || !known(parent)) return invalid('reply refs must name existing posts by uri and cid');
      if ((state.posts.get(parent?.uri ?? '')?.record.reply?.root.uri ?? parent?.uri) !== root?.uri) return invalid("reply.root is not the parent's thread root");
    }
    const post = state.createPost(state.me, record.text, parent?.uri);
    return { body: { uri: post.uri, cid: post.cid, ...(req.fake.minimal ? {} : { validationStatus: 'valid' }) } };
  },
};

export const chatRoutes: Record<string, Handler> = {
  'chat.bsky.convo.listConvos': (req) => {
    const { state, minimal } = req.fake;
    const latest = (c: { messages: { sentAt: string }[] }) => c.messages.at(-1)?.sentAt ?? '';
    const convos = [...state.convos.values()].sort((a, b) => latest(b).localeCompare(latest(a)));
    return paged(req, convos, (c) => `${latest(c)}|${c.id}`, (c) => state.convoView(c, minimal), 'convos');
  },

  'chat.bsky.convo.getMessages': (req) => {
    const { state } = req.fake;
    const convo = state.convos.get(req.query.get('convoId') ?? '');
    if (!convo) return { status: 400, error: 'InvalidConvo', message: 'Convo not found' };
    return paged(req, [...convo.messages].reverse(), (m) => `${m.sentAt}|${m.id}`, (m) => state.messageView(m), 'messages');
  },

  'chat.bsky.convo.getConvoForMembers': (req) => {
    const { state, minimal } = req.fake;
    const members = req.query.getAll('members');
    if (members.length === 0 || members.some((m) => !state.profiles.has(m))) return { status: 400, error: 'RecipientNotFound', message: 'recipient not found' };
    return { body: { convo: state.convoView(state.convoFor(members), minimal) } };
  },

  'chat.bsky.convo.sendMessage': (req) => {
    const { state } = req.fake;
    const { convoId, message } = (req.body ?? {}) as { convoId?: string; message?: { text?: unknown } };
    const convo = state.convos.get(convoId ?? '');
    if (!convo) return { status: 400, error: 'InvalidConvo', message: 'Convo not found' };
    if (typeof message?.text !== 'string' || graphemes(message.text) > 1000) return invalid('message/text must be a string of at most 1000 graphemes');
    return { body: state.messageView(state.addMessage(convo, state.me.did, message.text)) };
  },
};
