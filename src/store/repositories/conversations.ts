import { Types } from 'mongoose';
import type { ConversationStatus } from '../../domain/conversation';
import { dateOutOfRange } from '../../domain/dates';
import { ConversationModel } from '../models/conversation';
import { MessageModel } from '../models/message';
import { RoutingEventModel } from '../models/routing-event';
import { TrainingExampleModel } from '../models/training-example';
import { correctionKeys } from './corrections';

export interface ConversationFilter {
  department?: string;
  status?: string;
  channel?: string;
  since?: Date;
  /** words in the customer's name or handle or the preview, any case */
  q?: string;
  needsReply?: boolean;
  blocked?: boolean;
}

export const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Opaque page position: the last-message time and id of the last conversation of a page. */
export function encodeCursor(lastMessageAt: Date, id: unknown): string {
  return Buffer.from(`${lastMessageAt.getTime()}.${String(id)}`).toString('base64url');
}

export interface ListCursor {
  lastMessageAt: Date;
  id: Types.ObjectId;
}

/** The position a cursor names; null for anything encodeCursor did not make (a date out of range included). */
export function decodeCursor(cursor: string): ListCursor | null {
  if (cursor.length > 100) return null;
  const parts = Buffer.from(cursor, 'base64url').toString().split('.');
  const [ms, id] = parts;
  if (parts.length !== 2 || !ms || !/^\d{1,16}$/.test(ms) || !id || !/^[0-9a-f]{24}$/.test(id)) return null;
  const lastMessageAt = new Date(Number(ms));
  if (dateOutOfRange(lastMessageAt) !== undefined) return null;
  return { lastMessageAt, id: new Types.ObjectId(id) };
}

/** The list's filter as one query: equality fields first, then a range on lastMessageAt, the shape of LIST_INDEXES. */
export function listQuery(filter: ConversationFilter, cursor?: ListCursor): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  if (filter.department) query.department = filter.department;
  if (filter.status) query.status = filter.status;
  if (filter.channel) query.channel = filter.channel;
  // filtered from what the index gives, like a search: an absent field is the ordinary case (needs a reply, not blocked)
  if (filter.needsReply !== undefined) query.needsReply = filter.needsReply ? { $ne: false } : false;
  if (filter.blocked !== undefined) query.blocked = filter.blocked ? true : { $ne: true };
  const range: Record<string, Date> = {};
  if (filter.since) range.$gte = filter.since;
  // the $lte bounds the index scan; the $or breaks ties. Not {lastMessageAt: t, _id: {$lt}}: with a `since`, DocumentDB 0.106 lost those ties (paging test)
  if (cursor) range.$lte = cursor.lastMessageAt;
  if (Object.keys(range).length) query.lastMessageAt = range;
  if (cursor) query.$or = [{ lastMessageAt: { $lt: cursor.lastMessageAt } }, { _id: { $lt: cursor.id } }];
  // a search filters what the index gives (no text index: the inbox's list is one page at a time)
  if (filter.q) {
    const pattern = { $regex: escapeRegex(filter.q), $options: 'i' };
    query.$and = [{ $or: [{ preview: pattern }, { 'customer.name': pattern }, { 'customer.handle': pattern }] }];
  }
  return query;
}

export const LIST_SORT = { lastMessageAt: -1, _id: -1 } as const;

/** Latest activity first, `limit` at a time, keyset-paged on (lastMessageAt, _id). */
export async function listConversations(filter: ConversationFilter, limit: number, cursor?: ListCursor) {
  const page = await ConversationModel.find(listQuery(filter, cursor)).sort(LIST_SORT).limit(limit + 1).lean();
  const hasMore = page.length > limit;
  const items = hasMore ? page.slice(0, limit) : page;
  const last = items[items.length - 1];
  return { items, nextCursor: hasMore && last ? encodeCursor(last.lastMessageAt, last._id) : null };
}

export async function conversationWithMessages(id: string) {
  const conversation = await ConversationModel.findById(id).lean();
  if (!conversation) return null;
  const messages = await MessageModel.find({ conversationId: conversation._id }).sort({ sentAt: 1, _id: 1 }).lean();
  return { conversation, messages };
}

/**
 * A person moves a conversation: the decision, the event and, unless it goes to triage,
 * a training example from the customer's first message. Null when there is no such conversation.
 */
export async function reassignConversation(id: string, to: string, actor: string, reason?: string) {
  // one atomic update of the two fields it changes: follow-ups counting messages meanwhile keep their counts
  const before = await ConversationModel.findOneAndUpdate(
    { _id: id, department: { $ne: to } },
    { $set: { department: to, 'routing.method': 'manual' } },
    { returnDocument: 'before', projection: { department: 1, 'routing.lang': 1, channel: 1, account: 1, threadKey: 1 } },
  ).lean<{ _id: Types.ObjectId; department: string; channel: string; account: string; threadKey: string; routing?: { lang?: string | null } }>();
  // already there (or no such conversation: null)
  if (!before) return (await ConversationModel.exists({ _id: id })) ? { changed: false } : null;
  const from = before.department;
  await RoutingEventModel.create({ conversationId: before._id, from, to, method: 'manual', actor, reason });
  if (to !== 'triage') {
    const first = await MessageModel.findOne({ conversationId: before._id, direction: 'inbound' }).sort({ sentAt: 1, _id: 1 }).lean();
    if (first) {
      await TrainingExampleModel.create({
        text: first.text,
        label: to,
        lang: before.routing?.lang,
        source: 'correction',
        conversationId: before._id,
        actor,
        ...correctionKeys({ channel: before.channel, account: before.account, threadKey: before.threadKey, author: { id: first.author?.id ?? undefined, handle: first.author?.handle ?? undefined } }),
      });
    }
  }
  return { changed: true };
}

/** Sets the status in one atomic write; returns the conversation as it was before (its old status), null when there is none. */
export async function setConversationStatus(id: string, status: ConversationStatus, at = new Date()) {
  const update = status === 'resolved' ? { $set: { status, resolvedAt: at } } : { $set: { status }, $unset: { resolvedAt: 1 } };
  return ConversationModel.findByIdAndUpdate(id, update, { returnDocument: 'before' }).lean();
}
