import type { Types } from 'mongoose';
import { ConversationModel } from '../store/models/conversation';
import { MessageModel } from '../store/models/message';

/** One feedback conversation: its customers' words and where they were posted. */
export interface FeedbackRow {
  id: string;
  at: Date;
  channel: string;
  preview: string;
  /** every inbound message of the conversation, oldest first */
  text: string;
  lang?: string | null;
  /** the original post, when its channel gave a link */
  url: string | null;
}

/** The department whose conversations are feedback; other conversations count when tagged. */
export const PRODUCT = 'product';

/**
 * Feedback conversations that began in [from, to): routed to product or tagged as product feedback.
 * Two scans in all (FerretDB pushes down only `{_id}`), each with a projection.
 */
export async function readFeedback(from: Date, to: Date): Promise<FeedbackRow[]> {
  const conversations = await ConversationModel.find(
    { firstMessageAt: { $gte: from, $lt: to }, $or: [{ department: PRODUCT }, { productFeedback: true }] },
    { channel: 1, preview: 1, firstMessageAt: 1, 'routing.lang': 1 },
  ).lean<Array<{ _id: Types.ObjectId; channel: string; preview?: string; firstMessageAt: Date; routing?: { lang?: string | null } }>>();
  if (conversations.length === 0) return [];
  const messages = await MessageModel.find(
    { conversationId: { $in: conversations.map((c) => c._id) }, direction: 'inbound', sentAt: { $lt: to } },
    { conversationId: 1, text: 1, url: 1, sentAt: 1 },
  ).lean<Array<{ conversationId: Types.ObjectId; text: string; url?: string | null; sentAt: Date }>>();
  const byConversation = new Map<string, typeof messages>();
  for (const m of messages) {
    const list = byConversation.get(String(m.conversationId)) ?? [];
    list.push(m);
    byConversation.set(String(m.conversationId), list);
  }
  return conversations.map((c) => {
    const id = String(c._id);
    const inbound = (byConversation.get(id) ?? []).sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime() || (a.text < b.text ? -1 : 1));
    return {
      id,
      at: c.firstMessageAt,
      channel: c.channel,
      preview: c.preview ?? '',
      text: inbound.length > 0 ? inbound.map((m) => m.text).join('\n') : (c.preview ?? ''),
      lang: c.routing?.lang,
      url: inbound[0]?.url ?? null,
    };
  });
}
