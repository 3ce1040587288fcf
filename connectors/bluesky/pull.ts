/**
 * One poll of a Bluesky timeline. Neither listNotifications nor the chat service takes a "since": both are read
 * newest first, page by page, back to the newest time stored last time (items of that very instant are read
 * again, and the store's dedupe drops them).
 */
import type { InboundMessage } from '../../src/domain/message';
import { chatToMessage, notificationToMessage } from './map';
import type { Account } from './map';
import type { BskyApi, BskyConvo } from './types';

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

export async function pullNotifications(plan: PullPlan, stored?: string): Promise<PartResult> {
  const since = validTime(stored);
  const account: Account = { accountId: plan.accountId, did: await plan.api.did() };
  const messages: InboundMessage[] = [];
  let newest = since;
  let cursor: string | undefined;
  for (let n = 0; n < pagesFor(plan, since); n += 1) {
    const page = await plan.api.notificationsPage({ cursor, limit: plan.pageSize });
    let reached = false;
    for (const item of page.items) {
      const at = Date.parse(item.indexedAt);
      if (since !== undefined && at < since) {
        reached = true;
        break;
      }
      newest = later(newest, at);
      // the service filters by reason too; a likes or follows page from an older server is dropped here
      if (REASONS.has(item.reason)) messages.push(notificationToMessage(item, account));
    }
    cursor = page.cursor;
    if (reached || !cursor || page.items.length === 0) break;
  }
  return { messages, position: iso(newest) };
}

export async function pullChat(plan: PullPlan, stored?: string): Promise<PartResult> {
  const since = validTime(stored);
  const account: Account = { accountId: plan.accountId, did: await plan.api.did() };
  const messages: InboundMessage[] = [];
  let newest = since;
  let cursor: string | undefined;
  // convos come most recently active first: the first one quiet since `since` ends the walk
  for (let n = 0; n < pagesFor(plan, since); n += 1) {
    const page = await plan.api.convosPage({ cursor, limit: plan.pageSize });
    let reached = false;
    for (const convo of page.items) {
      if (!convo.lastMessageAt) continue;
      if (since !== undefined && Date.parse(convo.lastMessageAt) < since) {
        reached = true;
        break;
      }
      const read = await convoMessages(plan, convo, account, since);
      messages.push(...read.messages);
      if (read.newest !== undefined) newest = later(newest, read.newest);
    }
    cursor = page.cursor;
    if (reached || !cursor || page.items.length === 0) break;
  }
  return { messages, position: iso(newest) };
}

async function convoMessages(plan: PullPlan, convo: BskyConvo, account: Account, since?: number): Promise<{ messages: InboundMessage[]; newest?: number }> {
  const messages: InboundMessage[] = [];
  let newest: number | undefined;
  let cursor: string | undefined;
  for (let n = 0; n < pagesFor(plan, since); n += 1) {
    const page = await plan.api.messagesPage(convo.id, { cursor, limit: plan.pageSize });
    for (const m of page.items) {
      const at = Date.parse(m.sentAt);
      if (since !== undefined && at < since) return { messages, newest };
      newest = later(newest, at);
      // our own replies come back too; the pipeline has them as outbound already
      if (m.senderDid !== account.did) messages.push(chatToMessage(m, convo.id, convo.members, account));
    }
    cursor = page.cursor;
    if (!cursor || page.items.length === 0) break;
  }
  return { messages, newest };
}
