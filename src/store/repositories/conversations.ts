import { Types } from 'mongoose';
import type { ConversationStatus } from '../../domain/conversation';
import { dateOutOfRange } from '../../domain/dates';
import { ConversationModel, LIST_INDEX_PREFIXES, listIndexKey, type StoredConversation } from '../models/conversation';
import { serverSortsEveryMatch } from '../server-kind';
import { MessageModel } from '../models/message';
import { RoutingEventModel } from '../models/routing-event';
import { TrainingExampleModel } from '../models/training-example';
import { correctionDoc } from './corrections';

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

const EQUALITY_FIELDS = ['department', 'status', 'channel'] as const;

/** The list's filter as one query: equality fields first, then a range on lastMessageAt (from `since` or `from`, the later), the shape of the list indexes. */
export function listQuery(filter: ConversationFilter, cursor?: ListCursor, from?: Date): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const field of EQUALITY_FIELDS) if (filter[field]) query[field] = filter[field];
  // filtered from what the index gives, like a search: an absent field is the ordinary case (needs a reply, not blocked)
  if (filter.needsReply !== undefined) query.needsReply = filter.needsReply ? { $ne: false } : false;
  if (filter.blocked !== undefined) query.blocked = filter.blocked ? true : { $ne: true };
  const range: Record<string, Date> = {};
  const lower = filter.since && from ? (filter.since > from ? filter.since : from) : (filter.since ?? from);
  if (lower) range.$gte = lower;
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

/** The list index whose equality fields are exactly the filter's, as a hint: DocumentDB's planner takes a longer one otherwise. */
export function listHint(filter: ConversationFilter) {
  const fields = EQUALITY_FIELDS.filter((field) => filter[field]);
  const prefix = LIST_INDEX_PREFIXES.find((p) => p.length === fields.length && p.every((f, i) => f === fields[i]));
  return prefix ? listIndexKey(prefix) : undefined;
}

const MINUTE = 60_000;
/** Growing spans of activity before the page's start a DocumentDB list asks for in turn (1 minute × 16^k, about 2 years at most), then all. */
const WINDOWS_MS = Array.from({ length: 6 }, (_, k) => MINUTE * 16 ** k);

/** Latest activity first, `limit` at a time, keyset-paged on (lastMessageAt, _id). */
export async function listConversations(filter: ConversationFilter, limit: number, cursor?: ListCursor) {
  const hint = listHint(filter);
  const top = cursor?.lastMessageAt.getTime() ?? Date.now();
  // DocumentDB sorts all a query matches: a window of recent activity that already fills the page costs only its rows.
  // Anything outside a window is older than all inside it, so a full window's first page is the page.
  const spans = serverSortsEveryMatch() ? WINDOWS_MS : [];
  let page: StoredConversation[] = [];
  for (const span of [...spans, undefined]) {
    const from = span === undefined ? undefined : new Date(top - span);
    const query = ConversationModel.find(listQuery(filter, cursor, from)).sort(LIST_SORT).limit(limit + 1);
    page = await (hint ? query.hint(hint) : query).lean<StoredConversation[]>();
    if (page.length > limit || (from && filter.since && filter.since >= from)) break;
  }
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
      await TrainingExampleModel.create(correctionDoc(before, first, to, actor));
    }
  }
  return { changed: true, from };
}

/** Sets the status in one atomic write; returns the conversation as it was before (its old status), null when there is none. */
export async function setConversationStatus(id: string, status: ConversationStatus, at = new Date()) {
  const update = status === 'resolved' ? { $set: { status, resolvedAt: at } } : { $set: { status }, $unset: { resolvedAt: 1 } };
  return ConversationModel.findByIdAndUpdate(id, update, { returnDocument: 'before' }).lean();
}
