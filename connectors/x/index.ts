/** The X channel: mentions and DMs in through pull(), replies and DMs out through send(), findSent() before a re-send. */
import { ReplyNotAllowedError, ValidationError } from '../../src/domain/errors';
import type { Billable, Connector, Cursor, OutboundReply, PullResult, SendResult } from '../../src/domain/message';
import { createXClient } from './client';
import type { XCredentials } from './client';
import { dmUrl, findSent } from './find-sent';
import { pullDms, pullMentions, validId } from './pull';
import type { PartResult } from './pull';
import { DM_LIMIT, POST_LIMIT, xTextLength } from './text-length';
import type { XApi, XUser } from './types';

export type { XCredentials } from './client';
export type { XApi, XUser } from './types';
export { xTextLength, POST_LIMIT, DM_LIMIT } from './text-length';

export interface XConnectorOptions {
  /** our ChannelAccount id, written to InboundMessage.account */
  accountId: string;
  /** the connected account's X user id */
  userId: string;
  credentials: XCredentials;
  /** default https://api.x.com */
  apiBaseUrl?: string;
  /** items per request, 5..100 (default 100) */
  pageSize?: number;
  /** pages per timeline per pull (default 10): caps what one poll can spend */
  maxPages?: number;
  timeoutMs?: number;
  /** the account owns the developer app: its mentions and own posts are "owned reads" at their own price (default true) */
  ownsApp?: boolean;
}

export const X_TIMELINES = ['mentions', 'dms'] as const;
export type XTimeline = (typeof X_TIMELINES)[number];

export interface XConnector extends Connector {
  readonly kind: 'x';
  pull(cursor: Cursor | null): Promise<PullResult>;
  readonly timelines: readonly XTimeline[];
  /** one timeline: a failure here leaves the other timeline's cursor and state alone */
  pullTimeline(name: string, cursor: Cursor): Promise<PullResult>;
  /** who the credentials belong to: a cheap check that an account marked failing works again */
  verify(): Promise<XUser>;
  /**
   * Reads the account's own posts (GET /2/users/:id/tweets) or the DM conversation with the recipient
   * back to `since`. What it reads is added to the next successful pull's `usage` and `billed`, so it is charged
   * with the poll's reads; throws AppError 'connector_search_incomplete' when `maxPages` pages did not
   * reach `since` (the outcome is still unknown then).
   */
  findSent(reply: OutboundReply, since: Date): Promise<SendResult | null>;
}

function intOption(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min || n > max) throw new ValidationError(`X connector: ${name} must be an integer from ${min} to ${max}`, { [name]: value });
  return n;
}

function refuseLongText(text: string, limit: number, what: string): void {
  if (text.trim().length === 0) throw new ValidationError(`${what} is empty`);
  const length = xTextLength(text);
  if (length > limit) {
    throw new ValidationError(`${what} is ${length} characters; X allows at most ${limit} (each link counts as 23)`, { limit, length });
  }
}

// X bills a post that carries a link at its own (much higher) price
const LINK = /\bhttps?:\/\/|\bwww\.|\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b/i;
const writeOf = (reply: OutboundReply, id: string): Billable => ({
  kind: reply.kind === 'dm' ? 'dm_create' : LINK.test(reply.text) ? 'post_with_url_create' : 'post_create',
  id,
});

/** `api` is for tests that stand in for X without HTTP; by default the real client is built. */
export function createXConnector(options: XConnectorOptions, api: XApi = createXClient(options)): XConnector {
  const plan = {
    api,
    accountId: options.accountId,
    userId: options.userId,
    pageSize: intOption('pageSize', options.pageSize, 100, 5, 100),
    maxPages: intOption('maxPages', options.maxPages, 10, 1, 1000),
  };
  const postRead = options.ownsApp === false ? 'post_read' : 'owned_post_read';
  // reads made outside a pull (findSent), billed like the poll's: handed over with the next pull
  let unreported: Billable[] = [];
  const count = (read: Billable[]): void => {
    unreported.push(...read);
  };
  const handOver = (part: PartResult, kind: Billable['kind'], key: string): PullResult => {
    const billed = [...part.ids.map((id) => ({ kind, id })), ...unreported];
    unreported = [];
    return {
      messages: part.messages,
      cursor: part.position ? { [key]: part.position } : {},
      usage: { posts: billed.filter((b) => b.kind !== 'dm_event_read').length, dmEvents: billed.filter((b) => b.kind === 'dm_event_read').length },
      billed,
      ...(part.problems.length > 0 ? { problems: part.problems } : {}),
    };
  };
  const pullTimeline = async (name: string, cursor: Cursor): Promise<PullResult> => {
    if (name === 'mentions') return handOver(await pullMentions(plan, cursor.mentionsSinceId), postRead, 'mentionsSinceId');
    if (name === 'dms') return handOver(await pullDms(plan, cursor.dmLastEventId), 'dm_event_read', 'dmLastEventId');
    throw new ValidationError(`X connector: no timeline "${name}" (there are ${X_TIMELINES.join(', ')})`);
  };

  return {
    kind: 'x',
    timelines: X_TIMELINES,
    verify: () => api.me(),
    pullTimeline,

    // Both timelines, mentions first; any failed page throws before a cursor is returned, so the caller keeps its old one.
    async pull(cursor) {
      const start: Cursor = { ...cursor };
      const mentions = await pullTimeline('mentions', start);
      const dms = await pullTimeline('dms', start);
      const kept = Object.fromEntries(Object.entries(start).filter(([, v]) => validId(v)));
      return {
        messages: [...mentions.messages, ...dms.messages],
        cursor: { ...kept, ...mentions.cursor, ...dms.cursor },
        usage: { posts: (mentions.usage?.posts ?? 0) + (dms.usage?.posts ?? 0), dmEvents: (mentions.usage?.dmEvents ?? 0) + (dms.usage?.dmEvents ?? 0) },
        billed: [...(mentions.billed ?? []), ...(dms.billed ?? [])],
      };
    },

    findSent: async (reply, since) => {
      const found = await findSent({ ...plan, postRead, count }, reply, since);
      // an earlier send whose answer was lost: X billed it, and this is the first we hear of it
      return found && { ...found, billed: writeOf(reply, found.externalId) };
    },

    // X has no idempotency key: exactly-once delivery is the outbound state machine's job.
    async send(reply: OutboundReply): Promise<SendResult> {
      if (reply.kind === 'dm') {
        refuseLongText(reply.text, DM_LIMIT, 'DM');
        if (!reply.recipientId) throw new ValidationError('An X DM needs recipientId (the customer\'s X user id)');
        const sent = await api.sendDm(reply.recipientId, reply.text);
        return { externalId: sent.dmEventId, url: dmUrl(sent.dmConversationId), billed: writeOf(reply, sent.dmEventId) };
      }
      if (reply.kind === 'post') {
        refuseLongText(reply.text, POST_LIMIT, 'Post');
        const posted = await api.post(reply.text);
        return { externalId: posted.id, url: `https://x.com/i/web/status/${posted.id}`, billed: writeOf(reply, posted.id) };
      }
      refuseLongText(reply.text, POST_LIMIT, 'Reply');
      // without a post to answer this would be a public post to all followers
      if (!reply.inReplyToExternalId) throw new ValidationError('An X reply needs inReplyToExternalId (the post it answers)');
      // since 2026-02-23 X refuses it anyway: asking would cost a request and say the same
      if (reply.inReplyToMentionsAccount === false) {
        throw new ReplyNotAllowedError('X lets apps reply only to posts whose author mentioned or quoted the account; this post does neither');
      }
      const posted = await api.reply(reply.text, reply.inReplyToExternalId);
      return { externalId: posted.id, url: `https://x.com/i/web/status/${posted.id}`, billed: writeOf(reply, posted.id) };
    },
  };
}
