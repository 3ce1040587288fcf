/** The Bluesky channel: mentions and replies (notifications) and chat in through timelines, reply posts and chat messages out. */
import { ValidationError } from '../../src/domain/errors';
import type { Connector, Cursor, OutboundReply, PullResult, SendResult } from '../../src/domain/message';
import { createBlueskyClient } from './client';
import type { BlueskyClientOptions } from './client';
import { findMessage, findPost } from './find-sent';
import { convoUrl, postUrl } from './map';
import { pullChat, pullNotifications, validTime } from './pull';
import type { PartResult } from './pull';
import { byteLength, CHAT_LIMIT, CHAT_MAX_BYTES, graphemeLength, POST_LIMIT, POST_MAX_BYTES } from './text-length';
import type { BskyApi } from './types';

export type { BskyApi } from './types';
export { graphemeLength, POST_LIMIT, CHAT_LIMIT } from './text-length';

export interface BlueskyConnectorOptions extends BlueskyClientOptions {
  /** our ChannelAccount id, written to InboundMessage.account */
  accountId: string;
  /** items per request, 1..100 (default 50) */
  pageSize?: number;
  /** pages per timeline per poll (default 10) */
  maxPages?: number;
}

export const BLUESKY_TIMELINES = ['notifications', 'chat'] as const;
const CURSOR_KEYS: Record<string, string> = { notifications: 'notificationsSeenAt', chat: 'chatSeenAt' };

export interface BlueskyConnector extends Connector {
  readonly kind: 'bluesky';
  readonly timelines: readonly string[];
  pull(cursor: Cursor | null): Promise<PullResult>;
  pullTimeline(name: string, cursor: Cursor): Promise<PullResult>;
  findSent(reply: OutboundReply, since: Date): Promise<SendResult | null>;
}

function intOption(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min || n > max) throw new ValidationError(`Bluesky connector: ${name} must be an integer from ${min} to ${max}`, { [name]: value });
  return n;
}

/** Refused before anything is sent: Bluesky would refuse it anyway, after a request. */
function refuseLongText(text: string, limit: number, maxBytes: number, what: string): void {
  if (text.trim().length === 0) throw new ValidationError(`${what} is empty`);
  const length = graphemeLength(text);
  if (length > limit) throw new ValidationError(`${what} is ${length} characters; Bluesky allows at most ${limit}`, { limit, length });
  const bytes = byteLength(text);
  if (bytes > maxBytes) throw new ValidationError(`${what} is ${bytes} bytes; Bluesky allows at most ${maxBytes}`, { limit: maxBytes, length: bytes });
}

// a chat's threadKey is its convo id; a post thread's is its root's at:// URI
const isConvo = (threadKey: string): boolean => !threadKey.startsWith('at://');

/** `api` is for tests that stand in for Bluesky without HTTP; by default the real client is built. */
export function createBlueskyConnector(options: BlueskyConnectorOptions, api: BskyApi = createBlueskyClient(options)): BlueskyConnector {
  const plan = { api, accountId: options.accountId, pageSize: intOption('pageSize', options.pageSize, 50, 1, 100), maxPages: intOption('maxPages', options.maxPages, 10, 1, 1000) };
  const handOver = (part: PartResult, key: string): PullResult => ({ messages: part.messages, cursor: part.position ? { [key]: part.position } : {} });

  const pullTimeline = async (name: string, cursor: Cursor): Promise<PullResult> => {
    if (name === 'notifications') return handOver(await pullNotifications(plan, cursor.notificationsSeenAt), 'notificationsSeenAt');
    if (name === 'chat') return handOver(await pullChat(plan, cursor.chatSeenAt), 'chatSeenAt');
    throw new ValidationError(`Bluesky connector: no timeline "${name}" (there are ${BLUESKY_TIMELINES.join(', ')})`);
  };

  const convoOf = async (reply: OutboundReply): Promise<string> => {
    if (isConvo(reply.threadKey)) return reply.threadKey;
    // a post thread answered by chat: the customer's DID names the convo
    if (!reply.recipientId) throw new ValidationError("A Bluesky chat message needs recipientId (the customer's DID)");
    return api.convoWith(reply.recipientId);
  };

  return {
    kind: 'bluesky',
    timelines: BLUESKY_TIMELINES,
    pullTimeline,

    // Both timelines; a failure throws before a cursor is returned, so the caller keeps its old one.
    async pull(cursor) {
      const start: Cursor = { ...cursor };
      const parts = [await pullTimeline('notifications', start), await pullTimeline('chat', start)];
      const kept = Object.fromEntries(Object.values(CURSOR_KEYS).filter((k) => validTime(start[k]) !== undefined).map((k) => [k, start[k]]));
      return { messages: parts.flatMap((p) => p.messages), cursor: { ...kept, ...parts[0]?.cursor, ...parts[1]?.cursor } };
    },

    findSent: async (reply, since) => {
      if (reply.kind === 'dm') return findMessage(plan, await convoOf(reply), reply.text, since);
      return findPost(plan, reply.kind === 'post' ? undefined : reply.inReplyToExternalId, reply.text, since);
    },

    // No idempotency key on createRecord or sendMessage: exactly-once is the outbound state machine's job, with findSent.
    async send(reply) {
      if (reply.kind === 'dm') {
        refuseLongText(reply.text, CHAT_LIMIT, CHAT_MAX_BYTES, 'Chat message');
        const convoId = await convoOf(reply);
        const sent = await api.sendMessage(convoId, reply.text);
        return { externalId: sent.id, url: convoUrl(convoId) };
      }
      refuseLongText(reply.text, POST_LIMIT, POST_MAX_BYTES, reply.kind === 'post' ? 'Post' : 'Reply');
      if (reply.kind === 'post') return posted(await api.createPost(reply.text));
      // without a post to answer this would be a new post on the account's profile
      if (!reply.inReplyToExternalId) throw new ValidationError('A Bluesky reply needs inReplyToExternalId (the at:// URI of the post it answers)');
      const parent = await api.getPost(reply.inReplyToExternalId);
      if (!parent) throw new ValidationError(`The Bluesky post ${reply.inReplyToExternalId} is gone (deleted, or hidden from this account); nothing to reply to`);
      // the parent's own root, or the parent itself when it starts the thread
      const parentRef = { uri: parent.uri, cid: parent.cid };
      return posted(await api.createPost(reply.text, { root: parent.root ?? parentRef, parent: parentRef }));
    },
  };
}

function posted(ref: { uri: string }): SendResult {
  const url = postUrl(ref.uri);
  return { externalId: ref.uri, ...(url ? { url } : {}) };
}
