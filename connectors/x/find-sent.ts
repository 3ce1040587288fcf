/**
 * Before a reply whose earlier attempt has an unknown outcome is sent again: did X already get it?
 * Looks through the account's own posts (or the DM conversation) back to `since` for one with the
 * same target and text.
 */
import { AppError, ValidationError } from '../../src/domain/errors';
import type { Billable, BillableKind, OutboundReply, SendResult } from '../../src/domain/message';
import { createdAtOf } from './map';
import type { XApi } from './types';

export interface FindPlan {
  api: XApi;
  /** the connected account's X user id */
  userId: string;
  pageSize: number;
  maxPages: number;
  /** how X bills reading the account's own posts (an owned read when the account owns the app) */
  postRead: BillableKind;
  /** told what each page read as soon as it is read, so reads before a failure still count */
  count(read: Billable[]): void;
}

// Links as X shows them: every one becomes https://t.co/..., bare domains (example.com) included.
// Both sides are masked the same way, with whatever trails the link up to the next space.
const LINK = /(?:\bhttps?:\/\/|\bwww\.)\S+|\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b\S*/gi;
const ENTITY: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/** The text as compared: NFC, trimmed, line ends unified, every link masked. */
export function comparableText(text: string): string {
  return text.normalize('NFC').replace(/\r\n?/g, '\n').trim().replace(LINK, '\u0000');
}

/** Whether X's text of a post or DM is our text; X may HTML-escape &, < and > in what it returns. */
export function sameText(ours: string, theirs: string): boolean {
  const want = comparableText(ours);
  return want === comparableText(theirs) || want === comparableText(theirs.replace(/&(?:amp|lt|gt);/g, (e) => ENTITY[e] ?? e));
}

const postUrl = (id: string): string => `https://x.com/i/web/status/${id}`;
export const dmUrl = (conversationId?: string): string | undefined => (conversationId ? `https://x.com/messages/${conversationId}` : undefined);

function incomplete(plan: FindPlan, what: string, since: Date): AppError {
  // not a transient failure: re-sending now could post twice, so the caller should not retry blindly
  return new AppError(
    'connector_search_incomplete',
    `X: read ${plan.maxPages} pages of ${what} without reaching ${since.toISOString()}; cannot tell whether the reply was sent`,
    { maxPages: plan.maxPages, since: since.toISOString() },
  );
}

async function findPost(plan: FindPlan, inReplyTo: string | undefined, text: string, since: Date): Promise<SendResult | null> {
  // X filters by start_time in whole seconds; keep what it returns from that second
  const from = new Date(Math.floor(since.getTime() / 1000) * 1000);
  let token: string | undefined;
  for (let n = 0; n < plan.maxPages; n += 1) {
    const page = await plan.api.ownPostsPage(plan.userId, { startTime: from, token, maxResults: plan.pageSize });
    plan.count(page.items.map((p) => ({ kind: plan.postRead, id: p.id })));
    const found = page.items.find(
      (post) => post.inReplyToId === inReplyTo && createdAtOf(post.createdAt, post.id) >= from && sameText(text, post.text),
    );
    if (found) return { externalId: found.id, url: postUrl(found.id) };
    token = page.nextToken;
    if (!token) return null;
  }
  throw incomplete(plan, 'own posts', since);
}

async function findDm(plan: FindPlan, recipientId: string, text: string, since: Date): Promise<SendResult | null> {
  let token: string | undefined;
  for (let n = 0; n < plan.maxPages; n += 1) {
    // no start_time on DM events: newest first, page back until one is older than `since`
    const page = await plan.api.dmEventsWithPage(recipientId, { token, maxResults: plan.pageSize });
    plan.count(page.items.map((e) => ({ kind: 'dm_event_read', id: e.id })));
    for (const event of page.items) {
      if (createdAtOf(event.createdAt, event.id) < since) return null;
      if (event.eventType === 'MessageCreate' && event.senderId === plan.userId && sameText(text, event.text ?? '')) {
        return { externalId: event.id, url: dmUrl(event.dmConversationId) };
      }
    }
    token = page.nextToken;
    if (!token) return null;
  }
  throw incomplete(plan, `DM events with ${recipientId}`, since);
}

/** The post or DM this account sent for `reply` (same target, same text) at or after `since`, or null. */
export async function findSent(plan: FindPlan, reply: OutboundReply, since: Date): Promise<SendResult | null> {
  if (Number.isNaN(since.getTime())) throw new ValidationError('findSent needs a valid `since` date');
  if (reply.kind === 'dm') {
    if (!reply.recipientId) throw new ValidationError('An X DM needs recipientId (the customer\'s X user id)');
    return findDm(plan, reply.recipientId, reply.text, since);
  }
  // a new post (kind 'post') answers nothing: look for one of ours that is no reply
  if (reply.kind === 'post') return findPost(plan, undefined, reply.text, since);
  if (!reply.inReplyToExternalId) throw new ValidationError('An X reply needs inReplyToExternalId (the post it answers)');
  return findPost(plan, reply.inReplyToExternalId, reply.text, since);
}
