/** Bluesky notifications and chat messages as the pipeline's InboundMessage: the only place that knows both shapes. */
import type { Author, InboundMessage } from '../../src/domain/message';
import type { BskyChatMessage, BskyNotification, BskyProfile } from './types';

export interface Account {
  accountId: string;
  /** the connected account's DID */
  did: string;
}

const WEB = 'https://bsky.app';

export function authorOf(p: BskyProfile | undefined, did: string): Author {
  if (!p) return { id: did };
  return { id: p.did, ...(p.handle ? { handle: `@${p.handle}`, profileUrl: `${WEB}/profile/${p.handle}` } : {}), ...(p.displayName ? { name: p.displayName } : {}) };
}

/** at://did/app.bsky.feed.post/rkey → its page on bsky.app */
export function postUrl(uri: string): string | undefined {
  const m = /^at:\/\/([^/]+)\/app\.bsky\.feed\.post\/([^/]+)$/.exec(uri);
  return m ? `${WEB}/profile/${m[1]}/post/${m[2]}` : undefined;
}

export const convoUrl = (convoId: string): string => `${WEB}/messages/${encodeURIComponent(convoId)}`;

/** A post's time as the author's record says, else when the AppView saw it. */
export function timeOf(createdAt: string | undefined, indexedAt: string): Date {
  const t = createdAt ? new Date(createdAt) : undefined;
  return t && !Number.isNaN(t.getTime()) ? t : new Date(indexedAt);
}

export function notificationToMessage(n: BskyNotification, account: Account): InboundMessage {
  const url = postUrl(n.uri);
  return {
    channel: 'bluesky',
    account: account.accountId,
    externalId: n.uri,
    // every reply names its thread's root: the whole thread is one conversation
    threadKey: n.root?.uri ?? n.uri,
    kind: 'mention',
    author: authorOf(n.author, n.author.did),
    text: n.text,
    createdAt: timeOf(n.createdAt, n.indexedAt),
    ...(url ? { url } : {}),
    ...(n.parent ? { inReplyToExternalId: n.parent.uri } : {}),
    ...(n.author.did === account.did ? { fromSelf: true } : {}),
  };
}

export function chatToMessage(m: BskyChatMessage, convoId: string, members: BskyProfile[], account: Account): InboundMessage {
  return {
    channel: 'bluesky',
    account: account.accountId,
    externalId: m.id,
    threadKey: convoId,
    kind: 'dm',
    author: authorOf(members.find((p) => p.did === m.senderDid), m.senderDid),
    text: m.text,
    createdAt: new Date(m.sentAt),
    url: convoUrl(convoId),
  };
}
