/** The one file that imports @atproto/api: an app-password session and nine XRPC calls, their errors turned into ours. */
import type { AtpAgent } from '@atproto/api' with { 'resolution-mode': 'import' };
import { ValidationError } from '../../src/domain/errors';
import { Backoff, loginError, sessionExpired, toConnectorError } from './errors';
import type { BskyApi, BskyChatMessage, BskyConvo, BskyNotification, BskyPost, BskyProfile, StrongRef } from './types';

export interface BlueskyClientOptions {
  /** the PDS or entryway, e.g. https://bsky.social */
  service: string;
  /** handle or DID */
  identifier: string;
  appPassword: string;
  /** the chat service the PDS proxies chat.bsky.* to (default did:web:api.bsky.chat) */
  chatServiceDid?: string;
  timeoutMs?: number;
}

type Agent = AtpAgent;
type PostRecord = { text?: unknown; createdAt?: unknown; reply?: { root?: StrongRef; parent?: StrongRef } };

const MESSAGE_VIEW = 'chat.bsky.convo.defs#messageView';
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const refs = (record: unknown): Pick<BskyPost, 'root' | 'parent'> => {
  const reply = (record as PostRecord | undefined)?.reply;
  return reply?.root && reply.parent ? { root: { uri: reply.root.uri, cid: reply.root.cid }, parent: { uri: reply.parent.uri, cid: reply.parent.cid } } : {};
};
const profile = (p: { did: string; handle?: string; displayName?: string }): BskyProfile => ({
  did: p.did,
  ...(p.handle ? { handle: p.handle } : {}),
  ...(p.displayName ? { displayName: p.displayName } : {}),
});

function toPost(p: { uri: string; cid: string; author: { did: string }; record: unknown; indexedAt: string }): BskyPost {
  const record = p.record as PostRecord;
  return { uri: p.uri, cid: p.cid, authorDid: p.author.did, text: str(record.text) ?? '', createdAt: str(record.createdAt), indexedAt: p.indexedAt, ...refs(record) };
}

export function createBlueskyClient(options: BlueskyClientOptions): BskyApi {
  const service = options.service.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const backoff = new Backoff();
  const timedFetch: typeof fetch = (input, init) => globalThis.fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  // @atproto/api is ESM-only: loaded once, on first use
  let agentPromise: Promise<Agent> | undefined;
  let chatAgent: Agent | undefined;
  let loggingIn: Promise<void> | undefined;
  const agentOf = (): Promise<Agent> => (agentPromise ??= import('@atproto/api').then((sdk) => new sdk.AtpAgent({ service, fetch: timedFetch })));

  const logIn = (agent: Agent): Promise<void> =>
    (loggingIn ??= agent
      .login({ identifier: options.identifier, password: options.appPassword })
      .then(
        () => undefined,
        (err: unknown) => {
          throw loginError(err, options.identifier, service, backoff);
        },
      )
      .finally(() => {
        loggingIn = undefined;
      }));

  /** Runs one call with a session; when the library's own refresh could not save it (refresh token expired too), logs in again once. */
  async function call<T>(what: string, run: (agent: Agent) => Promise<T>, chat = false): Promise<T> {
    const base = await agentOf();
    const agent = chat ? (chatAgent ??= base.withProxy('bsky_chat', options.chatServiceDid ?? 'did:web:api.bsky.chat')) : base;
    try {
      if (!base.hasSession) await logIn(base);
      let result: T;
      try {
        result = await run(agent);
      } catch (err) {
        if (!sessionExpired(err)) throw err;
        await logIn(base);
        result = await run(agent);
      }
      backoff.reset();
      return result;
    } catch (err) {
      throw toConnectorError(err, what, backoff);
    }
  }
  const did = (agent: Agent): string => agent.assertDid;

  return {
    did: () => call('createSession', (agent) => Promise.resolve(did(agent))),

    notificationsPage: ({ cursor, limit }) =>
      call('listNotifications', async (agent) => {
        const { data } = await agent.app.bsky.notification.listNotifications({ reasons: ['mention', 'reply'], limit, cursor });
        const items = data.notifications.map((n): BskyNotification => {
          const record = n.record as PostRecord;
          return { uri: n.uri, cid: n.cid, reason: n.reason, author: profile(n.author), text: str(record.text) ?? '', createdAt: str(record.createdAt), indexedAt: n.indexedAt, ...refs(record) };
        });
        return { items, cursor: data.cursor };
      }),

    convosPage: ({ cursor, limit }) =>
      call(
        'listConvos',
        async (agent) => {
          const { data } = await agent.chat.bsky.convo.listConvos({ limit, cursor });
          const items = data.convos.map((c): BskyConvo => ({ id: c.id, members: c.members.map(profile), lastMessageAt: str((c.lastMessage as { sentAt?: unknown } | undefined)?.sentAt) }));
          return { items, cursor: data.cursor };
        },
        true,
      ),

    messagesPage: (convoId, { cursor, limit }) =>
      call(
        'getMessages',
        async (agent) => {
          const { data } = await agent.chat.bsky.convo.getMessages({ convoId, limit, cursor });
          // deleted and system messages carry no text for us
          const items = data.messages
            .filter((m) => m.$type === MESSAGE_VIEW)
            .map((m): BskyChatMessage => {
              const view = m as { id: string; text: string; sender: { did: string }; sentAt: string };
              return { id: view.id, text: view.text, senderDid: view.sender.did, sentAt: view.sentAt };
            });
          return { items, cursor: data.cursor };
        },
        true,
      ),

    getPost: (uri) =>
      call('getPosts', async (agent) => {
        const { data } = await agent.app.bsky.feed.getPosts({ uris: [uri] });
        const found = data.posts.find((p) => p.uri === uri);
        return found && toPost(found);
      }),

    ownPostsPage: ({ cursor, limit }) =>
      call('getAuthorFeed', async (agent) => {
        const { data } = await agent.app.bsky.feed.getAuthorFeed({ actor: did(agent), filter: 'posts_with_replies', limit, cursor });
        return { items: data.feed.filter((f) => !f.reason).map((f) => toPost(f.post)), cursor: data.cursor };
      }),

    createPost: (text, reply) =>
      call('createRecord', async (agent) => {
        const created = await agent.post({ text, ...(reply ? { reply } : {}), createdAt: new Date().toISOString() });
        return { uri: created.uri, cid: created.cid };
      }),

    convoWith: (member) =>
      call(
        'getConvoForMembers',
        async (agent) => {
          if (!member.startsWith('did:')) throw new ValidationError(`A Bluesky chat needs the customer's DID, not "${member}"`);
          const { data } = await agent.chat.bsky.convo.getConvoForMembers({ members: [member] });
          return data.convo.id;
        },
        true,
      ),

    sendMessage: (convoId, text) =>
      call(
        'sendMessage',
        async (agent) => {
          const { data } = await agent.chat.bsky.convo.sendMessage({ convoId, message: { text } });
          return { id: data.id };
        },
        true,
      ),
  };
}
