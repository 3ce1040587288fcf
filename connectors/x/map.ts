/** X posts and DM events as the pipeline's InboundMessage: the only place that knows both shapes. */
import type { Author, InboundMessage } from '../../src/domain/message';
import type { XDmEvent, XPost, XUser } from './types';

export interface Account {
  accountId: string;
  /** the X user id of the connected account */
  userId: string;
}

const X_WEB = 'https://x.com';
const TWITTER_EPOCH_MS = 1288834974657n;

/** Orders snowflake ids (numeric strings, newer is larger) without BigInt parsing. */
export function compareIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

function authorOf(id: string | undefined, users: Map<string, XUser>): Author {
  const user = id ? users.get(id) : undefined;
  if (!user) return id ? { id } : {};
  return { id: user.id, handle: `@${user.username}`, name: user.name, profileUrl: `${X_WEB}/${user.username}` };
}

/** created_at when X sent it, else the time inside the snowflake id. */
export function createdAtOf(iso: string | undefined, id: string): Date {
  if (iso) return new Date(iso);
  return /^\d{1,19}$/.test(id) ? new Date(Number((BigInt(id) >> 22n) + TWITTER_EPOCH_MS)) : new Date();
}

export function mentionToMessage(post: XPost, users: Map<string, XUser>, account: Account): InboundMessage {
  const username = post.authorId ? users.get(post.authorId)?.username : undefined;
  return {
    channel: 'x',
    account: account.accountId,
    externalId: post.id,
    // conversation_id is the id of the post that started the reply chain
    threadKey: post.conversationId ?? post.id,
    kind: 'mention',
    author: authorOf(post.authorId, users),
    text: post.text,
    createdAt: createdAtOf(post.createdAt, post.id),
    url: username ? `${X_WEB}/${username}/status/${post.id}` : `${X_WEB}/i/web/status/${post.id}`,
    ...(post.inReplyToId ? { inReplyToExternalId: post.inReplyToId } : {}),
    ...(post.authorId === account.userId ? { fromSelf: true } : {}),
    ...mentionsOf(post, account),
  };
}

/** Whether X will let us reply: it must @mention us (or quote us, which we cannot tell without another read). */
function mentionsOf(post: XPost, account: Account): { mentionsAccount?: boolean } {
  if (!post.mentions) return {};
  if (post.mentions.some((m) => m.id === account.userId)) return { mentionsAccount: true };
  // a mention X named no id for, or a quote of a post that may be ours: leave it to X
  if (post.quotes || post.mentions.some((m) => !m.id)) return {};
  return { mentionsAccount: false };
}

export function dmToMessage(event: XDmEvent, users: Map<string, XUser>, account: Account): InboundMessage {
  const conversation = event.dmConversationId ?? [event.senderId ?? '', account.userId].sort(compareIds).join('-');
  return {
    channel: 'x',
    account: account.accountId,
    externalId: event.id,
    threadKey: `dm:${conversation}`,
    kind: 'dm',
    author: authorOf(event.senderId, users),
    text: event.text ?? '',
    createdAt: createdAtOf(event.createdAt, event.id),
    url: `${X_WEB}/messages/${conversation}`,
  };
}
