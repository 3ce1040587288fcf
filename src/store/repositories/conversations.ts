import { Types } from 'mongoose';
import type { ConversationStatus } from '../../domain/conversation';
import { dateOutOfRange } from '../../domain/dates';
import { ConversationModel } from '../models/conversation';
import { MessageModel } from '../models/message';
import { RoutingEventModel } from '../models/routing-event';
import { TrainingExampleModel } from '../models/training-example';

export interface ConversationFilter {
  department?: string;
  status?: string;
  channel?: string;
  since?: Date;
}

/** Opaque page position: the creation time and id of the last conversation of a page. */
export function encodeCursor(createdAt: Date, id: unknown): string {
  return Buffer.from(`${createdAt.getTime()}.${String(id)}`).toString('base64url');
}

/** The position a cursor names; null for anything encodeCursor did not make (a date out of range included). */
export function decodeCursor(cursor: string): { createdAt: Date; id: Types.ObjectId } | null {
  if (cursor.length > 100) return null;
  const parts = Buffer.from(cursor, 'base64url').toString().split('.');
  const [ms, id] = parts;
  if (parts.length !== 2 || !ms || !/^\d{1,16}$/.test(ms) || !id || !/^[0-9a-f]{24}$/.test(id)) return null;
  const createdAt = new Date(Number(ms));
  if (dateOutOfRange(createdAt) !== undefined) return null;
  return { createdAt, id: new Types.ObjectId(id) };
}

/** Newest first, `limit` at a time (ids are derived from thread keys, so order is by creation time). */
export async function listConversations(filter: ConversationFilter, limit: number, cursor?: { createdAt: Date; id: Types.ObjectId }) {
  const query: Record<string, unknown> = {};
  if (filter.department) query.department = filter.department;
  if (filter.status) query.status = filter.status;
  if (filter.channel) query.channel = filter.channel;
  if (filter.since) query.lastMessageAt = { $gte: filter.since };
  if (cursor) query.$or = [{ createdAt: { $lt: cursor.createdAt } }, { createdAt: cursor.createdAt, _id: { $lt: cursor.id } }];
  const page = await ConversationModel.find(query).sort({ createdAt: -1, _id: -1 }).limit(limit + 1).lean();
  const hasMore = page.length > limit;
  const items = hasMore ? page.slice(0, limit) : page;
  const last = items[items.length - 1];
  return { items, nextCursor: hasMore && last ? encodeCursor(last.createdAt, last._id) : null };
}

export async function conversationWithMessages(id: string) {
  const conversation = await ConversationModel.findById(id).lean();
  if (!conversation) return null;
  const messages = await MessageModel.find({ conversationId: conversation._id }).sort({ sentAt: 1, _id: 1 }).lean();
  return { conversation, messages };
}

/**
 * A person moves a conversation: the decision, the event and, unless it goes to triage,
 * a training example from the customer's first message.
 */
export async function reassignConversation(id: string, to: string, actor: string, reason?: string) {
  const conversation = await ConversationModel.findById(id);
  if (!conversation) return null;
  const from = conversation.department;
  if (from === to) return { conversation, changed: false };
  conversation.department = to;
  conversation.routing.method = 'manual';
  await conversation.save();
  await RoutingEventModel.create({ conversationId: conversation._id, from, to, method: 'manual', actor, reason });
  if (to !== 'triage') {
    const first = await MessageModel.findOne({ conversationId: conversation._id, direction: 'inbound' }).sort({ sentAt: 1, _id: 1 }).lean();
    if (first) {
      await TrainingExampleModel.create({
        text: first.text,
        label: to,
        lang: conversation.routing.lang,
        source: 'correction',
        conversationId: conversation._id,
        actor,
      });
    }
  }
  return { conversation, changed: true };
}

export async function setConversationStatus(id: string, status: ConversationStatus, at = new Date()) {
  const update = status === 'resolved' ? { $set: { status, resolvedAt: at } } : { $set: { status }, $unset: { resolvedAt: 1 } };
  return ConversationModel.findByIdAndUpdate(id, update, { returnDocument: 'after' }).lean();
}
