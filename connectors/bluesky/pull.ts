/**
 * One poll of a Bluesky timeline. Neither listNotifications nor the chat service takes a "since": both are read
 * newest first, page by page, back to the newest time stored last time (items of that very instant are read
 * again, and the store's dedupe drops them).
 */
import type { InboundMessage } from '../../src/domain/message';
import { chatToMessage, notificationToMessage } from './map';
import type { Account } from './map';
import type { BskyApi, BskyConvo, BskyPage } from './types';

export interface PullPlan {
  api: BskyApi;
  accountId: string;
  pageSize: number;
  maxPages: number;
}

export interface PartResult {
  messages: InboundMessage[];
  /** the cursor value to store once these messages are stored; undefined when there is none yet */
  position?: string;
}

/** A stored position: an ISO time; anything else is treated as absent. */
export function validTime(value: unknown): number | undefined {
  const t = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

const iso = (t: number | undefined): string | undefined => (t === undefined ? undefined : new Date(t).toISOString());
const later = (a: number | undefined, b: number): number => (a === undefined || b > a ? b : a);
// Without a stored position only the newest page is read: a new account does not import its whole history.
const pagesFor = (plan: PullPlan, since?: number): number => (since === undefined ? 1 : plan.maxPages);
const REASONS = new Set(['mention', 'reply']);

/**
 * The items of a newest-first listing back to `since`: it stops at the first older item, a missing cursor, an
 * empty page or the page limit; an item without a time (a convo with no messages) is skipped.
 */
async function* newestFirst<T>(plan: PullPlan, since: number | undefined, page: (cursor?: string) => Promise<BskyPage<T>>, timeOf: (item: T) => number | undefined): AsyncGenerator<{ item: T; at: number }> {
  let cursor: string | undefined;
  for (let n = 0; n < pagesFor(plan, since); n += 1) {
    const { items, cursor: next } = await page(cursor);
    for (const item of items) {
      const at = timeOf(item);
      if (at === undefined) continue;
      if (since !== undefined && at < since) return;
      yield { item, at };
    }
    cursor = next;
    if (!cursor || items.length === 0) return;
  }
}

export async function pullNotifications(plan: PullPlan, stored?: string): Promise<PartResult> {
  const since = validTime(stored);
  const account: Account = { accountId: plan.accountId, did: await plan.api.did() };
  const messages: InboundMessage[] = [];
  let newest = since;
  const pages = (cursor?: string) => plan.api.notificationsPage({ cursor, limit: plan.pageSize });
  for await (const { item, at } of newestFirst(plan, since, pages, (n) => Date.parse(n.indexedAt))) {
    newest = later(newest, at);
    // the service filters by reason too; a likes or follows page from an older server is dropped here
    if (REASONS.has(item.reason)) messages.push(notificationToMessage(item, account));
  }
  return { messages, position: iso(newest) };
}

export async function pullChat(plan: PullPlan, stored?: string): Promise<PartResult> {
  const since = validTime(stored);
  const account: Account = { accountId: plan.accountId, did: await plan.api.did() };
  const messages: InboundMessage[] = [];
  let newest = since;
  // convos come most recently active first: the first one quiet since `since` ends the walk
  const pages = (cursor?: string) => plan.api.convosPage({ cursor, limit: plan.pageSize });
  for await (const { item: convo } of newestFirst(plan, since, pages, (c) => (c.lastMessageAt ? Date.parse(c.lastMessageAt) : undefined))) {
    const read = await convoMessages(plan, convo, account, since);
    messages.push(...read.messages);
    if (read.newest !== undefined) newest = later(newest, read.newest);
  }
  return { messages, position: iso(newest) };
}

async function convoMessages(plan: PullPlan, convo: BskyConvo, account: Account, since?: number): Promise<{ messages: InboundMessage[]; newest?: number }> {
  const messages: InboundMessage[] = [];
  let newest: number | undefined;
  const pages = (cursor?: string) => plan.api.messagesPage(convo.id, { cursor, limit: plan.pageSize });
  for await (const { item: m, at } of newestFirst(plan, since, pages, (x) => Date.parse(x.sentAt))) {
    newest = later(newest, at);
    // our own replies come back too; the pipeline has them as outbound already
    if (m.senderDid !== account.did) messages.push(chatToMessage(m, convo.id, convo.members, account));
  }
  return { messages, newest };
}
